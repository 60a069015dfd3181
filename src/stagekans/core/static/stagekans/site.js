/* Stagekans: small progressive enhancements. Every page works without this file. No inline
 * script anywhere (the Content-Security-Policy forbids it); behaviour hangs on classes and
 * data attributes. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("sk-js");

  /* Collapsible main navigation: below 48em the menu hides behind a "Menu" button. */
  function setUpNavigation() {
    var toggle = document.querySelector(".sk-nav-toggle");
    var nav = document.getElementById("hoofdmenu");
    if (!nav) return;
    Array.prototype.forEach.call(nav.querySelectorAll("a[href]"), function (link) {
      if (link.pathname === window.location.pathname) link.setAttribute("aria-current", "page");
    });
    if (!toggle) return;
    toggle.hidden = false;
    function close() {
      toggle.setAttribute("aria-expanded", "false");
      nav.classList.remove("sk-nav--open");
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("sk-nav--open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        close();
        toggle.focus();
      }
    });
  }

  /* Validation is shown only after the user left a field or submitted the form: the browser's
   * :invalid state is styled only on fields marked as touched. */
  function setUpValidationTiming() {
    var fields = "input, select, textarea";
    document.addEventListener(
      "input",
      function (event) {
        var el = event.target;
        if (el && el.matches && el.matches(fields)) el.setAttribute("data-sk-changed", "");
      },
      true
    );
    // Leaving a field you changed shows its state; tabbing through an empty form does not.
    document.addEventListener(
      "focusout",
      function (event) {
        var el = event.target;
        if (el && el.matches && el.matches(fields) && el.hasAttribute("data-sk-changed")) {
          el.classList.add("sk-touched");
        }
      },
      true
    );
    document.addEventListener(
      "submit",
      function (event) {
        var form = event.target;
        if (form && form.classList) form.classList.add("sk-submitted");
      },
      true
    );
    document.addEventListener(
      "invalid",
      function (event) {
        var form = event.target && event.target.form;
        if (form) form.classList.add("sk-submitted");
      },
      true
    );
  }

  /* The error summary after a failed submit gets focus, so screen readers read it first. */
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }

  /* Tables of lists become cards on narrow screens: every cell gets the label of its column,
   * shown by CSS before the value. */
  function labelTableCells(scope) {
    var tables = (scope || document).querySelectorAll("table.utrecht-table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.classList.contains("sk-table--keep")) return;
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) return;
      var labels = Array.prototype.map.call(head.cells, function (cell) {
        return cell.textContent.replace(/\s+/g, " ").trim();
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, index) {
            if (labels[index] && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", labels[index]);
            }
          });
        });
      });
      table.classList.add("sk-table--stack");
    });
  }

  /* Live search: submit a form with data-live-search after typing stops. htmx does the request
   * (hx-get on the form); the indicator is the element named in hx-indicator. */
  function setUpSortSelects() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-autosubmit]"), function (el) {
      el.addEventListener("change", function () {
        if (el.form) {
          if (el.form.requestSubmit) el.form.requestSubmit();
          else el.form.submit();
        }
      });
    });
  }

  function ready() {
    setUpNavigation();
    setUpValidationTiming();
    focusErrorSummary();
    labelTableCells(document);
    setUpSortSelects();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      labelTableCells(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
