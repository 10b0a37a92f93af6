// /verhalen/: the filter links filter the list in place. Without JavaScript they are plain
// links to a page per region, theme, year and breakthrough status.
(function () {
  var filters = document.getElementById("rv-filters");
  var count = document.getElementById("rv-filter-aantal");
  if (!filters || !count || filters.dataset.live === undefined) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll(".rv-items > .rv-item"));
  var chosen = {};

  function matches(item) {
    return Object.keys(chosen).every(function (key) {
      var value = item.getAttribute("data-" + key) || "";
      return key === "thema" ? value.split(" ").indexOf(chosen[key]) >= 0 : value === chosen[key];
    });
  }

  // Filters chosen can be let go of at once, and are shown open when the address chose them.
  var clear = document.createElement("button");
  clear.type = "button";
  clear.className = "rv-filter__wis";
  clear.textContent = "Filters wissen";
  count.parentNode.appendChild(clear);
  clear.addEventListener("click", function () {
    chosen = {};
    apply();
    filters.querySelector("summary").focus();  // the button is gone: focus stays near
  });

  function apply() {
    clear.hidden = Object.keys(chosen).length === 0;
    var shown = 0;
    items.forEach(function (item) {
      var show = matches(item);
      item.hidden = !show;
      if (show) { shown += 1; }
    });
    count.textContent = shown + (shown === 1 ? " verhaal" : " verhalen");
    filters.querySelectorAll("a[data-value]").forEach(function (link) {
      var key = link.closest("[data-filter]").getAttribute("data-filter");
      link.setAttribute("aria-pressed", String(chosen[key] === link.getAttribute("data-value")));
    });
    var query = new URLSearchParams(chosen).toString();
    history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }

  filters.querySelectorAll("a[data-value]").forEach(function (link) {
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var key = link.closest("[data-filter]").getAttribute("data-filter");
      var value = link.getAttribute("data-value");
      if (chosen[key] === value) { delete chosen[key]; } else { chosen[key] = value; }
      apply();
    });
  });
  new URLSearchParams(window.location.search).forEach(function (value, key) {
    if (filters.querySelector('[data-filter="' + key + '"]')) { chosen[key] = value; }
  });
  if (Object.keys(chosen).length) { filters.open = true; }
  apply();
})();

// A table wider than the screen scrolls inside its frame: a keyboard can reach it only if the
// frame takes focus, and a screen reader then says what it is.
// Material wraps tables in these frames from its own script: run after it, on every page it shows.
(function () {
  function focusableFrames() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (frame, index) {
      if (frame.scrollWidth <= frame.clientWidth) { return; }
      var caption = frame.querySelector("caption");
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", caption ? caption.textContent : "Tabel " + (index + 1) + " (schuift opzij)");
    });
  }
  if (window.document$) { window.document$.subscribe(focusableFrames); } else { focusableFrames(); }
})();

// Material's menu button is a label for a hidden checkbox, which no keyboard reaches: it gets a
// place in the tab order and a name. Material opens a focused label's toggle on Enter; Space
// does it too here, as on a button.
(function () {
  var menu = document.querySelector('label.md-header__button[for="__drawer"]');
  var toggle = document.getElementById("__drawer");
  if (!menu || !toggle) { return; }
  menu.setAttribute("tabindex", "0");
  menu.setAttribute("role", "button");
  menu.setAttribute("aria-label", "Menu");
  function pressed() { menu.setAttribute("aria-expanded", String(toggle.checked)); }
  pressed();
  toggle.addEventListener("change", pressed);
  menu.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      toggle.checked = !toggle.checked;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
