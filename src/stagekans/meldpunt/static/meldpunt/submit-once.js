/* Send a form once: after the first submit its buttons are disabled and say so, so a double
 * click sends nothing twice. The server does not rely on this (the form's one-time token
 * refuses a second report); this only tells the user that the form is on its way.
 * A static file, no inline script: works under a strict Content-Security-Policy. */
(function () {
  "use strict";

  function lock(form) {
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.disabled = true;
      if (button.dataset.sendingText) {
        button.dataset.idleText = button.textContent;
        button.textContent = button.dataset.sendingText;
      }
    });
  }

  function unlock(form) {
    form.removeAttribute("aria-busy");
    delete form.dataset.sending;
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.disabled = false;
      if (button.dataset.idleText) {
        button.textContent = button.dataset.idleText;
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    // Disable after this event: a disabled submitter would drop its own name=value pair.
    window.setTimeout(function () { lock(form); }, 0);
  });

  // Back to a page from the browser's cache: the form may be used again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submit-once]").forEach(unlock);
    }
  });
})();
