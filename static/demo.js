// Method Catalog: the live demo of a method page, run in the page. The form works without this
// file (it posts to the page, which runs the demo and renders its report); with it, the same
// report arrives without a reload, can be cancelled, is marked stale when the inputs change,
// and the page's URL always says how to see it again.
(function () {
  "use strict";

  const { all, el } = window.MethodCatalog; // static/app.js, loaded before this file
  const LOADING = "Loading PyTorch… first run takes a few seconds.";

  function parseInts(text) {
    const parts = text.split(/[\s,×*]+/).filter(Boolean);
    if (!parts.length || parts.some((p) => !/^\d+$/.test(p))) return null;
    return parts.map(Number);
  }

  function runId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The page's URL for the form as it stands: /methods/bam?demo=1&inputs.x=4,64,56,56&params.reduction=8
  function shareUrl(form) {
    const values = new Map();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text) values.set(name, name.startsWith("inputs.") ? text.replace(/\s+/g, "") : text);
      else values.delete(name);
    }
    const query = new URLSearchParams([["demo", "1"], ...values]);
    return `${form.dataset.pageUrl}?${query}#demo`;
  }

  function enhanceDemo(form) {
    const status = form.querySelector(".demo-status");
    const run = form.querySelector("button.run");
    const cancelButton = form.querySelector("button.cancel");
    const copyButton = form.querySelector("button.copy-link");
    const resetButton = form.querySelector("button.reset");
    const result = () => document.getElementById(form.dataset.result);
    let ready = true;
    let running = null;
    copyButton.hidden = false;
    resetButton.hidden = false;

    // The server may still be loading PyTorch into its demo worker; say so until it is ready.
    async function watchWorker() {
      try {
        const response = await fetch(form.dataset.statusUrl, { headers: { accept: "application/json" } });
        const state = await response.json();
        ready = Boolean(state.ready);
        if (state.loading) {
          if (!running) status.textContent = LOADING;
          setTimeout(watchWorker, 1000);
        } else if (status.textContent === LOADING) {
          status.textContent = "";
        }
      } catch (error) {
        ready = true;
      }
    }
    watchWorker();

    function clearErrors() {
      for (const node of all(".field-error", form)) {
        node.hidden = true;
        node.textContent = "";
      }
      for (const node of all("[aria-invalid]", form)) node.removeAttribute("aria-invalid");
    }

    function showError(field, message) {
      const control = field ? form.elements.namedItem(field) : null;
      const target = control instanceof RadioNodeList ? control[control.length - 1] : control;
      const slot = target && target.id ? document.getElementById(`${target.id}-error`) : null;
      if (!slot) return;
      slot.textContent = message;
      slot.hidden = false;
      target.setAttribute("aria-invalid", "true");
    }

    // A result on screen no longer matches the form: say so, in words and to assistive technology.
    function markStale() {
      const shown = result();
      if (!shown || shown.hidden || shown.classList.contains("stale") || !shown.querySelector(".result-title")) return;
      shown.classList.add("stale");
      shown.dataset.stale = "true";
      const banner = el("p", { id: "demo-stale", class: "stale-banner", role: "status",
        text: "Stale: the inputs changed since this result. Run the demo again to update it." });
      shown.prepend(banner);
      shown.setAttribute("aria-describedby", "demo-stale");
    }

    // A dimension that a hyperparameter sets follows it as it changes, and the other way round.
    for (const input of all("[data-follows]", form)) {
      for (const [dim, param] of Object.entries(JSON.parse(input.dataset.follows))) {
        const control = form.elements[`params.${param}`];
        if (!control) continue;
        control.addEventListener("input", () => {
          const dims = parseInts(input.value);
          const value = Number(control.value);
          if (!dims || !Number.isInteger(value) || value <= 0 || Number(dim) >= dims.length) return;
          dims[Number(dim)] = value;
          input.value = dims.join(", ");
        });
        input.addEventListener("input", () => {
          const dims = parseInts(input.value);
          if (dims && Number(dim) < dims.length) control.placeholder = `follows ${input.dataset.input} (${dims[Number(dim)]})`;
        });
      }
    }

    form.addEventListener("input", markStale);
    form.addEventListener("change", markStale);
    form.addEventListener("reset", () => {
      clearErrors();
      markStale();
      status.textContent = "";
    });

    cancelButton.addEventListener("click", () => {
      if (!running) return;
      fetch(form.dataset.cancelUrl + running.id, { method: "DELETE" }).catch(() => {});
      running.controller.abort();
    });

    copyButton.addEventListener("click", async () => {
      const url = new URL(shareUrl(form), window.location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = `Link copied: ${url}`;
      } catch (error) {
        status.textContent = `Copy this link: ${url}`;
      }
    });

    // The answer (the report, or why it did not run) replaces what was shown; focus moves to it.
    function show(html, code) {
      const page = new DOMParser().parseFromString(html, "text/html");
      let fresh = page.getElementById(form.dataset.result);
      if (!fresh) {
        const message = page.querySelector("main p:not(.status-code)")?.textContent || `The server answered ${code}.`;
        fresh = el("div", { id: form.dataset.result, class: "demo-result" },
          el("div", { id: "demo-error-summary", class: "error-summary", role: "alert", tabindex: "-1" },
            el("h4", { text: "The demo did not run" }), el("p", { text: message })));
      }
      result().replaceWith(document.adoptNode(fresh));
      for (const item of all(".error-summary [data-field]", fresh)) showError(item.dataset.field, item.dataset.message);
      const focus = fresh.querySelector(".result-title, .error-summary");
      if (focus) focus.focus();
      return Boolean(fresh.querySelector(".result-title"));
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (running) return;
      clearErrors();
      run.disabled = true;
      form.setAttribute("aria-busy", "true");
      status.textContent = ready ? "Running…" : LOADING;
      running = { id: runId(), controller: new AbortController() };
      cancelButton.hidden = false;
      const link = shareUrl(form);
      try {
        const response = await fetch(`${form.dataset.pageUrl}/demo?fragment=1&run=${running.id}`, {
          method: "POST",
          headers: { accept: "text/html" },
          body: new URLSearchParams(new FormData(form)),
          signal: running.controller.signal,
        });
        ready = true;
        const ok = show(await response.text(), response.status);
        history.replaceState(null, "", link);
        const out = result().querySelector(".io-group[aria-label=Outputs] .box");
        const said = out ? `: ${out.querySelector(".box-name").textContent} is ${out.querySelector(".box-shape").textContent}` : "";
        status.textContent = ok ? `Done${said}.` : "The demo did not run: see the messages.";
      } catch (error) {
        status.textContent = error.name === "AbortError" ? "Cancelled." : "Could not reach the server. Check your connection and try again.";
      } finally {
        running = null;
        cancelButton.hidden = true;
        run.disabled = false;
        form.removeAttribute("aria-busy");
      }
    });
  }

  function start() {
    all("form.demo-form").forEach(enhanceDemo);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
