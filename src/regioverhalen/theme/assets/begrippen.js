// Glossary terms (site/glossary_marking.py): a tap or click shows the explanation first; a
// second one follows the link to /begrippen/. Keyboard users see the explanation on focus, so
// Enter follows the link at once; Escape closes an open explanation.
(function () {
  "use strict";
  var OPEN = "rv-begrip--open";

  function closeAll(except) {
    document.querySelectorAll("." + OPEN).forEach(function (item) {
      if (item !== except) { item.classList.remove(OPEN); }
    });
  }

  document.addEventListener("click", function (event) {
    var word = event.target.closest ? event.target.closest(".rv-begrip__woord") : null;
    if (!word) { closeAll(null); return; }
    var term = word.parentElement;
    // event.detail is 0 for a click made with the keyboard (Enter on the link).
    if (event.detail === 0 || term.classList.contains(OPEN)) { return; }
    event.preventDefault();
    closeAll(term);
    term.classList.add(OPEN);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeAll(null); }
  });

  // A bubble beside a word near the window's right edge is moved left until it fits (on a
  // phone the explanation is a panel along the bottom, which always fits).
  var MARGIN = 8;
  function keepInView(event) {
    var word = event.target.closest ? event.target.closest(".rv-begrip__woord") : null;
    var tip = word && word.parentElement.querySelector(".rv-begrip__uitleg");
    if (!tip) { return; }
    tip.style.left = "";
    if (getComputedStyle(tip).position === "fixed") { return; }
    var box = tip.getBoundingClientRect();
    var over = box.right - (document.documentElement.clientWidth - MARGIN);
    if (box.width > 0 && over > 0) {
      tip.style.left = -Math.min(over, Math.max(box.left - MARGIN, 0)) + "px";
    }
  }
  ["mouseover", "focusin", "click"].forEach(function (type) {
    document.addEventListener(type, keepInView);
  });
})();
