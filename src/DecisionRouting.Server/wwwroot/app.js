// The officers' page. Every piece of text from the service (titles, names, reasons, actors) goes into the page
// through textContent or an attribute, never as HTML: a proposal titled "<script>…" shows as those characters.
"use strict";

const state = { server: null };

/** Makes an element with text or children; strings become text nodes, never markup. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);

function headers(json) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  if (state.server && state.server.developmentRoleHeader) {
    h["X-DecisionRouting-Role"] = $("role").value;
    h["X-DecisionRouting-Actor"] = $("actor").value;
  }
  return h;
}

/** Calls the service; on a problem shows it and throws it. */
async function call(method, url, body, raw) {
  const response = await fetch(url, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : body });
  if (!response.ok) {
    let problem;
    try { problem = await response.json(); } catch { problem = { title: response.statusText, detail: "" }; }
    problem.status = response.status;
    showProblem(problem);
    throw problem;
  }
  $("problem").hidden = true;
  return raw ? response.text() : response.json();
}

function showProblem(problem) {
  const box = $("problem");
  box.replaceChildren(
    el("strong", {}, `${problem.status} ${problem.title || "Error"}`),
    el("p", {}, problem.detail || ""),
    ...(problem.reasons || []).map((r) => el("p", { class: "reason" }, r)),
    problem.diagnostics ? el("ul", {}, problem.diagnostics.map((d) => el("li", {}, d.text))) : null,
  );
  box.hidden = false;
}

function dates(timing) {
  if (!timing) return null;
  const parts = [];
  if (timing.latestDate) parts.push(`latest ${timing.latestDate}`);
  if (timing.latestStart) parts.push(`start by ${timing.latestStart}`);
  if (timing.earliestStart) parts.push(`earliest start ${timing.earliestStart}`);
  if (timing.earliestEnd) parts.push(`ends ${timing.earliestEnd}`);
  if (timing.closes) parts.push(`closes ${timing.closes}`);
  return el("div", { class: "dates" }, parts.join("; ") + (timing.basis ? ` (${timing.basis})` : ""));
}

function showPlan(plan, diagram) {
  const byStage = new Map();
  for (const step of plan.steps) {
    if (!byStage.has(step.stage)) byStage.set(step.stage, []);
    byStage.get(step.stage).push(step);
  }
  const stages = [...byStage.keys()].sort((a, b) => a - b).map((stage) =>
    el("div", { class: "stage", "data-stage": stage },
      el("h4", {}, `Stage ${stage}`),
      byStage.get(stage).map((step) =>
        el("div", { class: "step", "data-step": step.id },
          el("strong", {}, step.name), ` (${step.id}) by ${step.performedBy || "—"}`,
          dates(step.timing),
          step.reasons.map((r) => el("div", { class: "reason" }, `${r.reason || r.rule} — source: ${r.source || "none cited"}`))))));
  const gaps = plan.isComplete ? null : el("div", { class: "incomplete" },
    el("strong", {}, "INCOMPLETE plan: it may lack steps. Do not rely on it until these are resolved:"),
    el("ul", {}, plan.incomplete.map((g) => el("li", {}, `${g.rule}: ${g.message}`)), plan.contradictions.map((c) => el("li", {}, c.message)),
      plan.decisionStepMissing ? el("li", {}, `no decision step: no rule gives the decision-maker (${plan.proposal.decisionMaker}) its decision, so the plan cannot date the decision or when it takes effect`) : null));
  $("plan").replaceChildren(
    el("h3", { id: "plan-title" }, plan.proposal.title),
    el("p", {}, `Proposal ${plan.proposal.id}; decision ${plan.dates.decision || "not dated"} by ${plan.proposal.decisionMaker}; effective from ${plan.dates.effectiveFrom || "—"}; rule set ${plan.ruleSet.name}.`),
    gaps,
    ...stages,
    plan.warnings.length ? el("div", {}, el("h4", {}, "Warnings"), el("ul", {}, plan.warnings.map((w) => el("li", {}, w.message)))) : null,
    el("h4", {}, "Diagram"),
    el("p", { class: "dates", id: "plan-diagram-note" }, diagram.note),
    diagram.svg
      // As an image, so nothing in the SVG can run in this page.
      ? el("img", { id: "plan-diagram", alt: "Plan diagram: one column per stage", src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(diagram.svg) })
      : el("pre", { id: "plan-diagram" }, diagram.text));
}

async function route() {
  const body = $("proposal").value;
  const plan = await call("POST", "/api/route", body);
  const diagram = state.server.diagrams === "svg"
    ? { svg: await call("POST", "/api/route?format=svg", body, true), note: `Drawn on the server by ${state.server.renderer}.` }
    : { text: await call("POST", "/api/route?format=mermaid", body, true), note: `${state.server.renderer}. Mermaid source of the plan:` };
  showPlan(plan, diagram);
}

async function create() {
  const id = $("new-case-id").value.trim();
  const status = await call("POST", "/api/cases" + (id ? `?id=${encodeURIComponent(id)}` : ""), $("proposal").value);
  $("case-id").value = status.id;
  await load();
}

function showStatus(status) {
  $("status").replaceChildren(
    el("h3", { id: "case-title" }, status.title),
    el("p", { id: "case-state" }, `State: ${status.state} (version ${status.version}); decision ${status.decisionDate || "—"}; call-in closes ${status.callInCloses || "—"}`),
    el("h4", {}, "May be fired now"),
    el("ul", { id: "permitted" }, status.permittedTriggers.map((t) =>
      el("li", { "data-trigger": t.trigger, "data-step": t.step },
        `${t.trigger}${t.step ? " " + t.step : ""} — by ${t.roles.join(", ")} `,
        fireButton(t)))),
    el("h4", {}, "Blocked, and why"),
    el("ul", { id: "blocked", class: "blocked" }, status.blockedTriggers.map((t) =>
      el("li", { "data-trigger": t.trigger, "data-step": t.step },
        el("strong", {}, `${t.trigger}${t.step ? " " + t.step : ""}`), ` (by ${t.roles.join(", ")}): `,
        el("ul", {}, t.reasons.map((r) => el("li", { class: "reason" }, r)))))),
    el("p", { id: "outstanding" }, `Outstanding: ${status.outstanding.join(", ") || "nothing"}`));
}

function fireButton(t) {
  const button = el("button", { type: "button" }, "Use");
  button.addEventListener("click", () => {
    $("trigger").value = t.trigger;
    $("step").value = t.step || "";
  });
  return button;
}

async function showHistory(id) {
  const entries = await call("GET", `/api/cases/${encodeURIComponent(id)}/history`);
  $("history").tBodies[0].replaceChildren(...entries.map((e) =>
    el("tr", { "data-sequence": e.sequence },
      el("td", {}, e.sequence), el("td", {}, e.at), el("td", {}, e.actor), el("td", {}, e.roles.join(", ")),
      el("td", {}, e.trigger), el("td", {}, e.step || ""), el("td", {}, `${e.from} → ${e.to}`),
      el("td", { class: e.accepted ? "accepted" : "refused" }, e.accepted ? "accepted" : "refused"), el("td", {}, e.detail || ""))));
}

async function showDiagram(id) {
  const base = `/api/cases/${encodeURIComponent(id)}/graph`;
  if (state.server.diagrams === "svg") {
    $("diagram-note").textContent = `Drawn on the server by ${state.server.renderer}.`;
    // As an image, so nothing in the SVG can run in this page.
    const svg = await call("GET", `${base}?format=svg`, undefined, true);
    $("case-diagram").replaceChildren(el("img", { alt: "Lifecycle diagram", src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg) }));
  } else {
    $("diagram-note").textContent = `${state.server.renderer}. DOT source:`;
    $("case-diagram").replaceChildren(el("pre", {}, await call("GET", `${base}?format=dot`, undefined, true)));
  }
}

async function load() {
  const id = $("case-id").value.trim();
  if (!id) return;
  showStatus(await call("GET", `/api/cases/${encodeURIComponent(id)}`));
  await showHistory(id);
  await showDiagram(id);
}

async function fire() {
  const id = $("case-id").value.trim();
  const body = { trigger: $("trigger").value.trim() };
  if ($("step").value.trim()) body.step = $("step").value.trim();
  const result = $("fire-result");
  try {
    const outcome = await call("POST", `/api/cases/${encodeURIComponent(id)}/fire`, JSON.stringify(body));
    result.className = "accepted";
    result.textContent = `Accepted: the case is now ${outcome.state} (version ${outcome.version}); audit entry ${outcome.audit}.`;
  } catch (problem) {
    result.className = "refused";
    result.textContent = `Not done: ${problem.title}: ${problem.detail || ""}`;
  }
  await load();
}

async function start() {
  state.server = await call("GET", "/api/server");
  const s = state.server;
  $("server-info").textContent = `Rule set ${s.ruleSet.name} (${s.ruleSet.hash.slice(0, 12)}…). Diagrams: ${s.diagrams === "svg" ? "SVG" : "text"} — ${s.renderer}.`;
  $("identity").hidden = !s.developmentRoleHeader;
  $("identity-note").hidden = s.developmentRoleHeader;
  const guard = (f) => () => f().catch(() => { /* shown in #problem */ });
  $("route").addEventListener("click", guard(route));
  $("create").addEventListener("click", guard(create));
  $("load").addEventListener("click", guard(load));
  $("fire").addEventListener("click", guard(fire));
  document.body.dataset.ready = "true";
}

start().catch(() => { /* shown in #problem */ });
