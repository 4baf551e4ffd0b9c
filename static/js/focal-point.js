// Image admin: click the preview to place the focal point. It fills the "focal point"
// number fields (which stay usable on their own) and shows a marker where the point is.
(function () {
  "use strict";

  function round(value) {
    return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
  }

  function setUp(picker) {
    var inputX = document.getElementById("id_focal_x");
    var inputY = document.getElementById("id_focal_y");
    var image = picker.querySelector("img");
    var marker = picker.querySelector(".focal-point__marker");
    if (!inputX || !inputY || !image || !marker) {
      return;
    }

    function showMarker() {
      var x = parseFloat(inputX.value);
      var y = parseFloat(inputY.value);
      if (isNaN(x) || isNaN(y)) {
        return;
      }
      marker.style.left = round(x) * 100 + "%";
      marker.style.top = round(y) * 100 + "%";
    }

    picker.classList.add("is-active");
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      inputX.value = round((event.clientX - box.left) / box.width);
      inputY.value = round((event.clientY - box.top) / box.height);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      inputY.dispatchEvent(new Event("change", { bubbles: true }));
      showMarker();
    });
    inputX.addEventListener("input", showMarker);
    inputY.addEventListener("input", showMarker);
    showMarker();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal-point]").forEach(setUp);
  });
})();
