// Behaviour shared by every page, kept out of the markup so a strict Content-Security-Policy holds.
// A select marked data-autosubmit sends its form when changed (the language menu).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});
