// Give each rich-text editing surface the accessible name of its field's label:
// django-prose-editor renders a contenteditable without one (see PITFALLS.md).
(function () {
  "use strict";

  function labelEditors(root) {
    root.querySelectorAll(".ProseMirror[contenteditable]:not([aria-label])").forEach(function (surface) {
      var wrapper = surface.closest(".form-row, .fieldBox, div");
      var textarea = wrapper && wrapper.parentElement.querySelector("textarea[id]");
      var label = textarea && document.querySelector('label[for="' + textarea.id + '"]');
      surface.setAttribute("aria-label", label ? label.textContent.replace(/:$/, "").trim() : "Rich text");
      surface.setAttribute("aria-multiline", "true");
      surface.setAttribute("role", "textbox");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelEditors(document);
    new MutationObserver(function () { labelEditors(document); }).observe(document.body, { childList: true, subtree: true });
  });
})();
