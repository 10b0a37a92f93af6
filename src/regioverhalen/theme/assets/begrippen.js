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
})();
