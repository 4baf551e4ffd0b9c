// Click-to-load embeds (richtext/embeds.py): nothing is fetched from the provider
// until the reader presses play; then the provider's player replaces our placeholder.
// Without JavaScript the button stays hidden and the plain link works.
(function () {
  "use strict";
  function play(figure) {
    var placeholder = figure.querySelector(".embed__placeholder");
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-embed-src");
    frame.title = figure.getAttribute("data-embed-title");
    frame.className = "embed__frame";
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    placeholder.replaceWith(frame);
    frame.focus();
  }
  document.querySelectorAll("figure.embed[data-embed-src]").forEach(function (figure) {
    var button = figure.querySelector(".embed__play");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () { play(figure); });
  });
})();
