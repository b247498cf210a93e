// Method Catalog: progressive enhancement, no framework. Every page works without this file;
// with it, formulas render (KaTeX, vendored), search boxes suggest as you type and snippets copy.
// The live demo of method pages is static/demo.js.
(function () {
  "use strict";

  const all = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // The helpers a page's own script (static/demo.js) shares, rather than a copy of each.
  window.MethodCatalog = Object.freeze({ all, el });

  // A scroll container that overflows must be reachable by keyboard.
  function focusableIfScrolling(node) {
    if (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1) node.tabIndex = 0;
  }

  /* ---------- Math: <span class="math math-inline|math-display">escaped TeX</span> ---------- */

  function renderMath() {
    if (!window.katex) return;
    for (const node of all(".math")) {
      const tex = node.textContent;
      const display = node.classList.contains("math-display");
      try {
        window.katex.render(tex, node, { displayMode: display, throwOnError: false, strict: "ignore" });
        node.dataset.tex = tex;
      } catch (error) {
        node.textContent = tex; // leave the TeX readable
      }
      if (display) focusableIfScrolling(node);
    }
  }

  /* ---------- Search suggestions: the ARIA 1.2 combobox with a listbox popup ---------- */

  let comboboxes = 0;

  function enhanceSuggest(input) {
    const id = `${input.id || "q" + ++comboboxes}-suggestions`;
    const list = el("ul", { id, class: "suggestions", role: "listbox", "aria-label": "Suggestions" });
    const status = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    list.hidden = true;
    input.after(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    let items = [];
    let active = -1;
    let timer = 0;
    let controller = null;

    const isOpen = () => !list.hidden;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function setActive(index) {
      const options = all("[role=option]", list);
      active = index;
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(item) {
      window.location.assign(`/methods/${encodeURIComponent(item.slug)}`);
    }

    function label(text, query) {
      const at = text.toLowerCase().indexOf(query.toLowerCase());
      if (at < 0 || !query) return [text];
      return [text.slice(0, at), el("strong", { text: text.slice(at, at + query.length) }), text.slice(at + query.length)];
    }

    function render(data, query) {
      items = data;
      list.replaceChildren(
        ...data.map((item, i) => {
          const option = el(
            "li",
            { id: `${id}-${i}`, role: "option", "aria-selected": "false" },
            el("span", {}, label(item.label, query)),
            item.name !== item.label ? el("span", { class: "suggest-name", text: item.name }) : null,
          );
          option.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the box
          option.addEventListener("click", () => go(item));
          return option;
        }),
      );
      if (data.length) {
        list.hidden = false;
        active = -1;
        input.setAttribute("aria-expanded", "true");
        input.removeAttribute("aria-activedescendant");
        status.textContent = `${data.length} suggestion${data.length === 1 ? "" : "s"}; use the up and down arrows to choose.`;
      } else {
        close();
        status.textContent = "";
      }
    }

    async function suggest() {
      const query = input.value.trim();
      if (controller) controller.abort();
      if (!query) {
        render([], "");
        return;
      }
      controller = new AbortController();
      try {
        const response = await fetch(`/api/v1/suggest?q=${encodeURIComponent(query)}&limit=8`, {
          signal: controller.signal,
          headers: { accept: "application/json" },
        });
        if (!response.ok) return close();
        const body = await response.json();
        if (input.value.trim() === query && document.activeElement === input) render(body.data || [], query);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!isOpen()) {
          if (items.length) render(items, input.value.trim());
          else suggest();
          if (!items.length) return;
        }
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + items.length + (active < 0 && step < 0 ? 1 : 0)) % items.length);
      } else if (event.key === "Enter" && isOpen() && active >= 0) {
        event.preventDefault();
        go(items[active]);
      } else if (event.key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", close);
  }

  /* ---------- Copy buttons: <button data-copy="element-id"> ---------- */

  function enhanceCopy(button) {
    const target = document.getElementById(button.dataset.copy);
    if (!target) return;
    button.hidden = false;
    button.setAttribute("aria-label", `Copy ${button.closest("section")?.querySelector("h3")?.textContent || "snippet"}`);
    const original = button.textContent;
    button.addEventListener("click", async () => {
      let done = "Copied";
      try {
        await navigator.clipboard.writeText(target.textContent);
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents(target);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        done = "Press Ctrl+C";
      }
      button.textContent = done;
      setTimeout(() => (button.textContent = original), 1600);
    });
  }

  /* ---------- Start ---------- */

  function start() {
    renderMath();
    all("input[data-suggest]").forEach(enhanceSuggest);
    all("[data-copy]").forEach(enhanceCopy);
    all(".code-scroll, pre").forEach(focusableIfScrolling);
    const filters = document.querySelector("details.filters");
    if (filters && window.matchMedia("(max-width: 720px)").matches) filters.open = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
