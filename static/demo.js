// Method Catalog: the live demo of a method page, run in the page (the form works without it).
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

  // A scroll container that overflows must be reachable by keyboard.
  function focusableIfScrolling(node) {
    if (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1) node.tabIndex = 0;
  }

  const number = new Intl.NumberFormat("en");
  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

  const shapeText = (shape) => (shape && shape.length ? shape.join(" × ") : "scalar");

  function parseInts(text) {
    const parts = text.split(/[\s,×x*]+/).filter(Boolean);
    if (!parts.length || parts.some((p) => !/^\d+$/.test(p))) return null;
    return parts.map(Number);
  }

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i += 1;
    }
    return `${i ? n.toFixed(1) : n} ${units[i]}`;
  }

  function ms(value) {
    if (value === null || value === undefined) return "–";
    return `${value < 1 ? value.toPrecision(2) : number.format(Math.round(value * 100) / 100)} ms`;
  }

  // Trace rows name their shapes `input_shapes`/`output_shapes` or `inputs`/`outputs`.
  function shapesOf(row, key) {
    const value = row[`${key}_shapes`] ?? row[`${key}s`] ?? [];
    return Array.isArray(value) ? value : [];
  }

  function metric(name, value, title) {
    return el("div", { title }, el("dt", { text: name }), el("dd", { text: value }));
  }

  // Input boxes, then the top-level layers (or the whole call), then output boxes.
  function flow(result) {
    const box = (cls, name, shape) =>
      el("li", {}, el("div", { class: `box ${cls}` }, el("span", { class: "box-name", text: name }), el("span", { class: "box-shape", text: shape })));
    const trace = result.trace || [];
    const depths = trace.map((row) => row.depth ?? (row.path === "(root)" ? 0 : row.path.split(".").length));
    const hasRoot = trace.length && (trace[0].path === "(root)" || depths[0] === 0);
    let steps = trace.filter((row, i) => depths[i] === (hasRoot ? 1 : Math.min(...depths)));
    if (!steps.length && trace.length) steps = [trace[0]];
    const boxes = [];
    for (const input of result.inputs || []) boxes.push(box("io", input.name, shapeText(input.shape)));
    const middle = steps.length > 8 ? [...steps.slice(0, 6), null, steps[steps.length - 1]] : steps;
    for (const row of middle) {
      if (row === null) {
        boxes.push(el("li", {}, el("div", { class: "box more", text: `${steps.length - 7} more` })));
        continue;
      }
      const outs = shapesOf(row, "output");
      const shape = outs.length ? shapeText(outs[0]) + (outs.length > 1 ? ` +${outs.length - 1}` : "") : "–";
      boxes.push(box("", row.path === "(root)" ? row.type : `${row.path}: ${row.type}`, shape));
    }
    if (result.kind === "optimizer" && result.losses && result.losses.length) {
      const losses = result.losses;
      boxes.push(box("", result.name || result.method, `${losses.length} steps`));
      boxes.push(box("io", "loss", `${losses[0].toPrecision(4)} → ${losses[losses.length - 1].toPrecision(4)}`));
    }
    for (const output of result.outputs || []) boxes.push(box("io", output.name, shapeText(output.shape)));
    return el("ol", { class: "flow", "aria-label": "How shapes change from input to output" }, boxes);
  }

  let tables = 0;

  // A titled table in a scroll box; the title stays put while a wide table scrolls.
  function table(title, head, rows, label) {
    const id = `demo-table-${++tables}`;
    return el(
      "figure",
      { class: "data-figure" },
      el("figcaption", { id, text: title }),
      el(
        "div",
        { class: "table-wrap", role: "region", "aria-label": label || title },
        el(
          "table",
          { class: "data", "aria-labelledby": id },
          el("thead", {}, el("tr", {}, head.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
          el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map(([text, cls, tip]) => el("td", { class: cls, text, title: tip }))))),
        ),
      ),
    );
  }

  function traceTable(result) {
    const rows = (result.trace || []).map((row) => {
      const depth = row.depth ?? 0;
      const flops = row.flops;
      const params = row.params_total ?? row.params;
      return [
        [`${"\u2003".repeat(Math.max(0, depth))}${row.path}`, "path"],
        [row.type, ""],
        [shapesOf(row, "input").map(shapeText).join(", ") || "–", "shape"],
        [shapesOf(row, "output").map(shapeText).join(", ") || "–", "shape"],
        [typeof params === "number" ? number.format(params) : "–", "num"],
        [typeof flops === "number" ? compact.format(flops) : flops === null ? "not counted" : "–", "num", typeof flops === "number" ? number.format(flops) : null],
      ];
    });
    const dropped = result.trace_dropped ? `, ${number.format(result.trace_dropped)} more not recorded` : "";
    return table(
      `Trace: every submodule call, in order (${number.format(rows.length)} row${rows.length === 1 ? "" : "s"}${dropped})`,
      [["Module"], ["Type"], ["Input shapes"], ["Output shapes"], ["Parameters", "num"], ["FLOPs", "num"]],
      rows,
      "Trace table",
    );
  }

  function outputsTable(result) {
    const stat = (o, key) => (o.stats && typeof o.stats[key] === "number" ? o.stats[key].toPrecision(4) : "–");
    const rows = (result.outputs || []).map((o) => [
      [o.name, ""],
      [shapeText(o.shape), "shape"],
      [o.dtype || "", ""],
      [stat(o, "min"), "num"],
      [stat(o, "max"), "num"],
      [stat(o, "mean"), "num"],
      [stat(o, "std"), "num"],
    ]);
    return table("Outputs: each tensor and the range of its values", [["Name"], ["Shape"], ["Type"], ["Min", "num"], ["Max", "num"], ["Mean", "num"], ["Std", "num"]], rows);
  }

  function sparkline(values) {
    const ns = "http://www.w3.org/2000/svg";
    const width = 320;
    const height = 80;
    const low = Math.min(...values);
    const high = Math.max(...values);
    const span = high - low || 1;
    const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * (width - 8) + 4},${height - 6 - ((v - low) / span) * (height - 12)}`);
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("class", "spark");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `Loss over ${values.length} steps, from ${values[0].toPrecision(4)} to ${values[values.length - 1].toPrecision(4)}`);
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#0b5cad");
    line.setAttribute("stroke-width", "2.5");
    svg.append(line);
    return svg;
  }

  function renderResult(container, result) {
    const flops = result.flops || {};
    const runs = result.latency_runs ? `${result.latency_runs} timed runs` : "";
    const metrics = [
      metric("Device", result.device || "–"),
      metric("Latency (median)", ms(result.latency_ms), [result.latency_scope, runs].filter(Boolean).join(", ")),
    ];
    if (typeof result.latency_p10_ms === "number") {
      metrics.push(metric("Spread p10–p90", `${ms(result.latency_p10_ms)} – ${ms(result.latency_p90_ms)}`, runs));
    }
    metrics.push(
      metric("Parameters", typeof result.params_total === "number" ? number.format(result.params_total) : "–",
        typeof result.params_trainable === "number" ? `${number.format(result.params_trainable)} trainable` : null),
      metric("FLOPs", typeof flops.total === "number" ? compact.format(flops.total) : flops.total === null ? "not counted" : "–",
        flops.total === null ? flops.note : flops.unit),
    );
    if (typeof result.peak_memory_bytes === "number") metrics.push(metric("Peak memory", bytes(result.peak_memory_bytes), result.peak_memory_note));
    if (typeof result.memory_estimate_bytes === "number") metrics.push(metric("Memory estimate", bytes(result.memory_estimate_bytes), result.memory_estimate_note));
    const parts = [
      el("h4", { text: "Result" }),
      el("dl", { class: "metrics" }, metrics),
      el("h4", { text: "Shapes, input to output" }),
      flow(result),
    ];
    if ((result.outputs || []).length) parts.push(outputsTable(result));
    if (result.losses && result.losses.length) {
      parts.push(el("h4", { text: "Loss per step" }), sparkline(result.losses));
      if (result.objective) parts.push(el("p", { class: "notes", text: `Objective: ${result.objective}` }));
    }
    if (result.stats && typeof result.stats === "object") {
      parts.push(el("h4", { text: "Statistics" }), el("dl", { class: "metrics" },
        Object.entries(result.stats).map(([k, v]) => metric(k, typeof v === "number" ? v.toPrecision(4) : String(v)))));
    }
    if ((result.trace || []).length) parts.push(traceTable(result));
    const notes = [];
    if (result.params && Object.keys(result.params).length) {
      notes.push(`Hyperparameters: ${Object.entries(result.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}.`);
    }
    if ((result.uncounted_ops || []).length) notes.push(`No FLOP formula (counted as zero): ${result.uncounted_ops.join(", ")}.`);
    if (result.latency_scope) notes.push(`Latency: ${result.latency_scope}${result.latency_runs ? `, median of ${result.latency_runs} runs` : ""}.`);
    if (flops.total === null && flops.note) notes.push(`FLOPs: ${flops.note}.`);
    if (result.peak_memory_bytes === null && result.peak_memory_note) notes.push(`Memory: ${result.peak_memory_note}.`);
    parts.push(el("div", { class: "notes" }, notes.map((text) => el("p", { text }))));
    parts.push(el("details", {}, el("summary", { text: "The response as JSON" }), el("pre", { tabindex: "0" }, el("code", { text: JSON.stringify(result, null, 2) }))));
    container.replaceChildren(...parts);
    container.hidden = false;
    all(".table-wrap", container).forEach(focusableIfScrolling);
  }

  function enhanceDemo(form) {
    const result = document.getElementById(form.dataset.result);
    const status = form.querySelector(".demo-status");
    const general = form.querySelector(".demo-error");
    const run = form.querySelector("button.run");
    const cancelButton = form.querySelector("button.cancel");
    let ready = true;
    let running = null;

    // The server may still be loading PyTorch into its demo worker; say so until it is ready.
    async function watchWorker() {
      if (!form.dataset.statusUrl) return;
      try {
        const response = await fetch(form.dataset.statusUrl, { headers: { accept: "application/json" } });
        const state = await response.json();
        ready = Boolean(state.ready);
        if (state.loading) {
          status.textContent = "Loading PyTorch…";
          setTimeout(watchWorker, 1000);
        } else if (status.textContent === "Loading PyTorch…") {
          status.textContent = "";
        }
      } catch (error) {
        ready = true;
      }
    }
    watchWorker();

    function runId() {
      const bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    }

    // Cancelling aborts the request (the server cancels a demo whose caller went away) and says so.
    if (cancelButton) {
      cancelButton.addEventListener("click", () => {
        if (!running) return;
        fetch(form.dataset.cancelUrl + running.id, { method: "DELETE" }).catch(() => {});
        running.controller.abort();
      });
    }

    // A dimension that a hyperparameter sets follows it as it changes.
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
      }
    }

    function clearErrors() {
      general.hidden = true;
      general.textContent = "";
      for (const node of all(".field-error", form)) {
        node.hidden = true;
        node.textContent = "";
      }
      for (const node of all("[aria-invalid]", form)) node.removeAttribute("aria-invalid");
    }

    // Put a message next to the control named `field`; a field without one goes above the form.
    function showError(field, message) {
      const control = field ? form.elements.namedItem(field) : null;
      const slot = control && control.id ? document.getElementById(`${control.id}-error`) : null;
      if (!slot) {
        general.textContent = general.textContent ? `${general.textContent} ${message}` : field ? `${field}: ${message}` : message;
        general.hidden = false;
        return null;
      }
      slot.textContent = message;
      slot.hidden = false;
      control.setAttribute("aria-invalid", "true");
      return control;
    }

    function request() {
      const body = { inputs: {}, params: {}, device: form.elements.device.value };
      const problems = [];
      for (const input of all("[data-input]", form)) {
        const dims = parseInts(input.value);
        if (!dims) problems.push([input.name, "Write the shape as whole numbers separated by commas, e.g. 2, 64, 32, 32."]);
        else if (input.value.trim() !== input.defaultValue.trim()) body.inputs[input.dataset.input] = dims;
      }
      for (const control of all("[data-param]", form)) {
        const name = control.dataset.param;
        const type = control.dataset.type;
        if (type === "bool") {
          if (control.checked !== control.defaultChecked) body.params[name] = control.checked;
          continue;
        }
        const changed = control.tagName === "SELECT"
          ? !control.selectedOptions[0]?.defaultSelected
          : control.value.trim() !== control.defaultValue.trim();
        if (!changed) continue;
        const text = control.value.trim();
        if (type === "list") {
          const values = text ? parseInts(text) : [];
          if (!values) problems.push([control.name, "Write whole numbers separated by commas."]);
          else body.params[name] = values;
        } else if (type === "int" || type === "float") {
          const value = Number(text);
          if (!text || !Number.isFinite(value) || (type === "int" && !Number.isInteger(value))) {
            problems.push([control.name, type === "int" ? "Enter a whole number." : "Enter a number."]);
          } else body.params[name] = value;
        } else {
          body.params[name] = text;
        }
      }
      return { body, problems };
    }

    form.addEventListener("reset", () => {
      clearErrors();
      status.textContent = "";
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors();
      const { body, problems } = request();
      if (problems.length) {
        const first = problems.map(([field, message]) => showError(field, message)).find(Boolean);
        if (first) first.focus();
        status.textContent = "Fix the highlighted fields, then run again.";
        return;
      }
      run.disabled = true;
      form.setAttribute("aria-busy", "true");
      status.textContent = ready ? "Running…" : "Loading PyTorch…, then running the demo.";
      running = { id: runId(), controller: new AbortController() };
      if (cancelButton) cancelButton.hidden = false;
      const started = performance.now();
      try {
        const url = `${form.dataset.demoUrl}?run=${running.id}`;
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify(body),
          signal: running.controller.signal,
        });
        ready = true;
        const data = await response.json().catch(() => ({}));
        if (response.ok) {
          renderResult(result, data);
          const out = (data.outputs || [])[0];
          status.textContent = `Done in ${Math.round(performance.now() - started)} ms${out ? `: ${out.name} is ${shapeText(out.shape)}` : ""}.`;
          return;
        }
        const errors = Array.isArray(data.errors) && data.errors.length ? data.errors : [{ field: null, message: data.error || `The server answered ${response.status}.` }];
        const first = errors.map((e) => showError(e.field, e.message)).find(Boolean);
        if (first) first.focus();
        status.textContent = response.status === 422 ? "The demo did not run: see the messages above." : "The demo did not run.";
      } catch (error) {
        if (error.name === "AbortError") {
          status.textContent = "Cancelled.";
        } else {
          showError(null, "Could not reach the server. Check your connection and try again.");
          status.textContent = "";
        }
      } finally {
        running = null;
        if (cancelButton) cancelButton.hidden = true;
        run.disabled = false;
        form.removeAttribute("aria-busy");
      }
    });
  }

  function start() {
    all("form[data-demo-url]").forEach(enhanceDemo);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
