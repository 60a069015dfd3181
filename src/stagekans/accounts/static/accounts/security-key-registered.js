// After django-otp-webauthn's script has registered a key, post the page's
// "key registered" form: the server then shows recovery codes (first factor) or a
// confirmation. A static file, so the CSP needs no inline script.
document.addEventListener("otp_webauthn.register_complete", function () {
  var form = document.getElementById("security-key-registered");
  if (form) {
    form.submit();
  }
});
