// "Copy citation": shown only where the Clipboard API exists; the citation stays selectable
// text without JavaScript. Its messages come from the page, in the page's language.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      // The engine's own plain-text reference when the page gives it, else the shown text.
      var text = button.getAttribute("data-copy-text") || target.innerText;
      navigator.clipboard.writeText(text.trim()).then(
        function () { status.textContent = button.getAttribute("data-copied"); },
        function () { status.textContent = button.getAttribute("data-copy-failed"); }
      );
    });
  });
})();
