// Method Catalog: what the listing pages add with JavaScript. Every page works without it.
// On a phone the search page lists results first and keeps its filters after them, closed;
// a "Filters" button at the top of the results brings them up and opens them.
(() => {
  "use strict";

  function enhanceFilterToggle() {
    const layout = document.querySelector(".results-layout");
    const filters = document.getElementById("filters");
    const head = document.querySelector(".results-head");
    if (!layout || !filters || !head) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary filters-toggle";
    button.textContent = "Filters";
    button.setAttribute("aria-controls", "filters");
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => {
      const showing = layout.classList.toggle("filters-first");
      filters.open = showing;
      button.setAttribute("aria-expanded", String(showing));
      if (showing) filters.querySelector("summary").focus();
    });
    head.append(button);
  }

  function start() {
    enhanceFilterToggle();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
