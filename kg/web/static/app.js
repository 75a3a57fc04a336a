/* kg serve — browser front-end.
 *
 * A single-page app with hash routing:
 *   #/                      home (stats, legend)
 *   #/entity/<iri>          entity view + neighbourhood network
 *   #/path                  path finder (empty)
 *   #/path/<iri>            path finder with "from" prefilled
 *   #/path/<iri>/<iri>      path finder showing the path between two entities
 *   #/article/<iri>         one article with highlighted mentions
 *   #/articles              list of articles
 * IRIs in the hash are encoded with encodeURIComponent.
 *
 * Plain ES2020, no build step. Data from the server is only ever inserted
 * with textContent / createElement (never innerHTML).
 */
"use strict";

(() => {
  // ---------------------------------------------------------------- constants

  const CLASSES = ["Person", "Organization", "GeopoliticalEntity", "Location"];
  const CLASS_LABELS = {
    Person: "Person",
    Organization: "Organization",
    GeopoliticalEntity: "Geopolitical entity",
    Location: "Location",
  };
  // Keep in sync with the .cls-* rules in app.css.
  const CLASS_COLORS = {
    Person: "#3b6fb6",
    Organization: "#d9731f",
    GeopoliticalEntity: "#2f9457",
    Location: "#8a56b8",
  };
  const OTHER_COLOR = "#7b8794";
  const NET_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";
  const FAMILIES = ["affiliatedWith", "locatedIn", "citizenOf", "cooperatesWith", "inContactWith", "opposes"];
  const SEARCH_DEBOUNCE_MS = 150;
  const CONFIDENCE_DEBOUNCE_MS = 250;

  // ------------------------------------------------------------------ helpers

  const $ = (id) => document.getElementById(id);

  /** Create an element. attrs: class, text, dataset:{...}, on<event>: fn, any other attribute. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const enc = encodeURIComponent;
  const entityHref = (iri) => "#/entity/" + enc(iri);
  const articleHref = (iri) => "#/article/" + enc(iri);

  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch (_) {
      return text;
    }
  }

  /** The last segment of an IRI, for display when there is no label/title. */
  function iriTail(iri) {
    if (!iri) return "";
    const trimmed = String(iri).replace(/[/#]+$/, "");
    const parts = trimmed.split(/[/#:]/);
    return safeDecode(parts[parts.length - 1] || trimmed);
  }

  function fmtConfidence(value) {
    return typeof value === "number" && Number.isFinite(value) ? value.toFixed(2) : "—";
  }

  /** Only http(s) URLs become links (no javascript: etc.). */
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  const clsKey = (cls) => (CLASSES.includes(cls) ? cls : "other");
  const clsColor = (cls) => CLASS_COLORS[cls] || OTHER_COLOR;

  function classBadge(cls, extraClass) {
    return el("span", {
      class: `badge cls-${clsKey(cls)}${extraClass ? " " + extraClass : ""}`,
      dataset: { cls: cls || "" },
      text: CLASS_LABELS[cls] || cls || "Unknown",
    });
  }

  function dot(cls) {
    return el("span", { class: `dot cls-${clsKey(cls)}`, "aria-hidden": "true" });
  }

  /** A link to an entity view: {iri, label, cls}. */
  function entityLink(info, extraClass) {
    const label = (info && info.label) || iriTail(info && info.iri);
    return el(
      "a",
      {
        class: "entity-link" + (extraClass ? " " + extraClass : ""),
        href: entityHref(info.iri),
        title: `${label} (${CLASS_LABELS[info.cls] || info.cls || "entity"})`,
        dataset: { iri: info.iri, cls: info.cls || "" },
      },
      dot(info.cls),
      label,
    );
  }

  function articleLink(article) {
    const iri = article && article.iri;
    if (!iri) return el("span", { class: "article-link muted", text: "unknown article" });
    return el("a", {
      class: "article-link",
      href: articleHref(iri),
      dataset: { iri },
      text: article.title || iriTail(iri),
    });
  }

  function normalise(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  /** The evidence sentences of a relation / edge / hop. */
  function evidenceList(evidence) {
    const items = Array.isArray(evidence) ? evidence : [];
    if (!items.length) return el("p", { class: "muted no-evidence", text: "No evidence sentence recorded." });
    const list = el("ul", { class: "evidence-list" });
    for (const ev of items) {
      const flags = [];
      if (ev.negated) flags.push(el("span", { class: "flag flag-negated", text: "negated" }));
      if (ev.hedged) flags.push(el("span", { class: "flag flag-hedged", text: "hedged" }));
      const meta = el(
        "div",
        { class: "evidence-meta" },
        articleLink(ev.article),
        ev.date ? el("span", { class: "evidence-date", text: ev.date }) : null,
        el("span", { class: "evidence-confidence", title: "confidence", text: "conf. " + fmtConfidence(ev.confidence) }),
        ev.rule ? el("span", { class: "evidence-rule", title: "extraction rule", text: ev.rule }) : null,
        ev.role ? el("span", { class: "evidence-role", title: "role", text: ev.role }) : null,
        flags,
      );
      list.append(
        el(
          "li",
          { class: "evidence" },
          el("blockquote", { class: "sentence", text: ev.sentence || "" }),
          meta,
        ),
      );
    }
    return list;
  }

  function debounce(fn, ms) {
    let timer = null;
    const wrapped = (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
    wrapped.cancel = () => clearTimeout(timer);
    return wrapped;
  }

  // ---------------------------------------------------------- errors, loading

  function showError(message) {
    $("error-message").textContent = message || "Something went wrong.";
    $("error").hidden = false;
  }

  function clearError() {
    $("error").hidden = true;
    $("error-message").textContent = "";
  }

  let pendingRequests = 0;
  function setLoading(delta) {
    pendingRequests = Math.max(0, pendingRequests + delta);
    $("loading").hidden = pendingRequests === 0;
    document.body.dataset.loading = pendingRequests > 0 ? "1" : "0";
  }

  class ApiError extends Error {
    constructor(message, status, body = null) {
      super(message);
      this.name = "ApiError";
      this.status = status;
      this.body = body;
    }
  }

  /** GET a JSON API endpoint; throws ApiError with the server's {"error"} message on failure. */
  async function api(path, params, options = {}) {
    const url = new URL(path, window.location.origin);
    for (const [key, value] of Object.entries(params || {})) {
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
      else url.searchParams.set(key, value);
    }
    if (!options.quiet) setLoading(+1);
    try {
      let response;
      try {
        response = await fetch(url, { headers: { Accept: "application/json" }, signal: options.signal });
      } catch (err) {
        if (err && err.name === "AbortError") throw err;
        throw new ApiError("Cannot reach the server: " + (err && err.message ? err.message : err), 0);
      }
      const text = await response.text();
      let body = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch (_) {
        body = null;
      }
      if (!response.ok) {
        const message = body && typeof body.error === "string" ? body.error : `${response.status} ${response.statusText}`.trim();
        throw new ApiError(message, response.status, body);
      }
      if (body === null || typeof body !== "object") throw new ApiError(`Invalid response from ${path}`, response.status);
      return body;
    } finally {
      if (!options.quiet) setLoading(-1);
    }
  }

  // ---------------------------------------------------------------- type-ahead

  /**
   * Attach a type-ahead to an input. Suggestions are `li.suggestion` in `list`.
   * onSelect(result) gets a search result {iri, label, cls, aliases, matched}.
   * With enterSelectsFirst, Enter picks the first match even before the list is shown.
   */
  function typeahead(input, list, onSelect, { enterSelectsFirst = false } = {}) {
    let timer = null;
    let controller = null;
    let seq = 0;
    let items = [];
    let active = -1;
    let selectWhenLoaded = false;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      items = [];
      active = -1;
    }

    function setActive(index) {
      const nodes = list.querySelectorAll("li.suggestion");
      if (!nodes.length) return;
      active = Math.max(0, Math.min(index, nodes.length - 1));
      nodes.forEach((node, i) => {
        const on = i === active;
        node.classList.toggle("active", on);
        node.setAttribute("aria-selected", on ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", nodes[active].id);
      nodes[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      const result = items[index];
      if (!result) return;
      close();
      onSelect(result);
    }

    function render(results, query) {
      list.replaceChildren();
      items = results;
      active = -1;
      if (!results.length) {
        list.append(el("li", { class: "no-results", role: "option", "aria-disabled": "true", text: `No entity matches “${query}”` }));
      }
      results.forEach((r, i) => {
        const label = r.label || iriTail(r.iri);
        const showMatched = r.matched && r.matched !== label;
        const li = el(
          "li",
          {
            class: "suggestion",
            role: "option",
            id: `${list.id}-option-${i}`,
            "aria-selected": "false",
            dataset: { iri: r.iri, index: String(i), cls: r.cls || "" },
          },
          dot(r.cls),
          el("span", { class: "s-label", text: label }),
          classBadge(r.cls, "s-class"),
          showMatched ? el("span", { class: "s-matched", title: "matched name" }, "matched ", el("q", { text: r.matched })) : null,
        );
        li.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
        li.addEventListener("click", () => choose(i));
        li.addEventListener("mousemove", () => {
          if (active !== i) setActive(i);
        });
        list.append(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    async function lookup(query) {
      const mine = ++seq;
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const data = await api("/api/search", { q: query, limit: 10 }, { signal: controller.signal, quiet: true });
        if (mine !== seq) return;
        const results = Array.isArray(data.results) ? data.results : [];
        if (selectWhenLoaded) {
          selectWhenLoaded = false;
          if (results.length) {
            items = results;
            choose(0);
            return;
          }
        }
        if (document.activeElement !== input && !results.length) return;
        render(results, query);
      } catch (err) {
        if (err && err.name === "AbortError") return;
        if (mine !== seq) return;
        selectWhenLoaded = false;
        close();
        showError(err.message);
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      selectWhenLoaded = false;
      const query = input.value.trim();
      if (!query) {
        seq++;
        if (controller) controller.abort();
        close();
        return;
      }
      timer = setTimeout(() => lookup(query), SEARCH_DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (e) => {
      const open = !list.hidden && items.length > 0;
      if (e.key === "ArrowDown") {
        if (open) {
          e.preventDefault();
          setActive(active + 1);
        }
      } else if (e.key === "ArrowUp") {
        if (open) {
          e.preventDefault();
          setActive(active - 1);
        }
      } else if (e.key === "Enter") {
        if (open) {
          e.preventDefault();
          choose(active >= 0 ? active : 0);
        } else if (enterSelectsFirst && input.value.trim()) {
          e.preventDefault();
          clearTimeout(timer);
          selectWhenLoaded = true;
          lookup(input.value.trim());
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", () => {
      setTimeout(() => {
        if (document.activeElement !== input) close();
      }, 120);
    });

    return { close };
  }

  // ------------------------------------------------------------------- router

  let routeSeq = 0;
  let currentRoute = null;

  function parseRoute() {
    const hash = window.location.hash.replace(/^#\/?/, "");
    const parts = hash.split("/");
    const name = parts[0] || "";
    const rest = parts.slice(1);
    switch (name) {
      case "":
        return { view: "home" };
      case "entity":
        return rest.join("") ? { view: "entity", iri: safeDecode(rest.join("/")) } : { view: "home" };
      case "article":
        return rest.join("") ? { view: "article", iri: safeDecode(rest.join("/")) } : { view: "articles" };
      case "articles":
        return { view: "articles" };
      case "path":
        return {
          view: "path",
          from: rest[0] ? safeDecode(rest[0]) : "",
          to: rest.length > 1 && rest.slice(1).join("") ? safeDecode(rest.slice(1).join("/")) : "",
        };
      default:
        return { view: "notfound", hash };
    }
  }

  function go(hash) {
    // Moving to another entity: the network is stale from now on (not when hashchange fires).
    if (hash.startsWith("#/entity/") && hash !== window.location.hash) setNetworkReady("0");
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  }

  let shownView = null;

  /** Empty a view that is being left, so no stale (hidden) content lingers in the page. */
  function leaveView(name) {
    switch (name) {
      case "entity":
        currentEntity = null;
        entityData = null;
        netSeq++; // drop any neighbourhood answer still on its way
        setNetworkReady("0");
        if (cy) cy.elements().remove();
        $("entity-relations").replaceChildren();
        $("neighbours").replaceChildren();
        resetEdgeDetails();
        break;
      case "path":
        $("path-result").replaceChildren();
        delete $("path-result").dataset.status;
        break;
      case "article":
        $("article-text").replaceChildren();
        $("article-relations").replaceChildren();
        $("article-meta").replaceChildren();
        break;
      case "articles":
        $("article-list").replaceChildren();
        break;
      default:
        break;
    }
  }

  function showView(name) {
    if (shownView && shownView !== name) leaveView(shownView);
    shownView = name;
    for (const section of document.querySelectorAll("main > .view")) {
      section.hidden = section.id !== `${name}-view`;
    }
    document.body.dataset.view = name;
    $("nav-articles").classList.toggle("active", name === "articles" || name === "article");
    $("nav-path").classList.toggle("active", name === "path");
  }

  function route() {
    const seq = ++routeSeq;
    const r = parseRoute();
    const previous = currentRoute;
    currentRoute = r;
    clearError();
    switch (r.view) {
      case "home":
        document.title = "kg — knowledge graph explorer";
        showView("home");
        break;
      case "entity":
        showEntity(r.iri, seq, previous);
        break;
      case "path":
        showPath(r.from, r.to, seq);
        break;
      case "article":
        showArticle(r.iri, seq);
        break;
      case "articles":
        showArticles(seq);
        break;
      default:
        showView("home");
        showError(`Unknown page “#/${r.hash}”.`);
    }
    window.scrollTo(0, 0);
  }

  // ------------------------------------------------------------------- legend

  function renderLegends() {
    for (const legend of document.querySelectorAll(".legend")) {
      legend.replaceChildren(
        ...CLASSES.map((cls) => el("span", { class: "legend-item", dataset: { cls } }, dot(cls), CLASS_LABELS[cls])),
      );
    }
  }

  // -------------------------------------------------------------------- stats

  async function loadStats() {
    const footer = $("stats");
    try {
      const s = await api("/api/stats", null, { quiet: true });
      const entities = s.entities || {};
      const relations = s.relations || {};
      const sum = (obj) => Object.values(obj).reduce((a, b) => a + (Number(b) || 0), 0);
      const nEntities = sum(entities);
      const nRelations = sum(relations);
      const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "—");
      footer.replaceChildren(
        el("span", { class: "stat", dataset: { stat: "triples" } }, el("b", { text: fmt(s.triples) }), " triples"),
        el(
          "span",
          { class: "stat", dataset: { stat: "entities" }, title: Object.entries(entities).map(([k, v]) => `${k}: ${v}`).join(", ") },
          el("b", { text: fmt(nEntities) }),
          " entities",
        ),
        el(
          "span",
          { class: "stat", dataset: { stat: "relations" }, title: Object.entries(relations).map(([k, v]) => `${k}: ${v}`).join(", ") },
          el("b", { text: fmt(nRelations) }),
          " relations",
        ),
        el("span", { class: "stat", dataset: { stat: "articles" } }, el("b", { text: fmt(s.articles) }), " articles"),
        el("span", { class: "stat", dataset: { stat: "quotes" } }, el("b", { text: fmt(s.quotes) }), " quotes"),
      );
      const cards = $("home-stats");
      const card = (title, value, rows) =>
        el(
          "div",
          { class: "card" },
          el("div", { class: "card-value", text: fmt(value) }),
          el("div", { class: "card-title", text: title }),
          rows && rows.length
            ? el(
                "ul",
                { class: "card-rows" },
                rows.map(([k, v]) =>
                  el("li", null, CLASSES.includes(k) ? dot(k) : null, el("span", { text: CLASS_LABELS[k] || k }), el("b", { text: fmt(v) })),
                ),
              )
            : null,
        );
      cards.replaceChildren(
        card("entities", nEntities, Object.entries(entities)),
        card("relations", nRelations, Object.entries(relations)),
        card("articles", s.articles),
        card("quotes", s.quotes),
        card("triples", s.triples),
      );
    } catch (err) {
      footer.replaceChildren(el("span", { class: "muted", text: "Statistics unavailable." }));
    }
  }

  // ------------------------------------------------------------------- entity

  let currentEntity = null; // iri shown in the entity view
  let entityData = null;

  async function showEntity(iri, seq) {
    showView("entity");
    const view = $("entity-view");
    const sameEntity = currentEntity === iri;
    currentEntity = iri;
    view.dataset.iri = iri;
    view.dataset.loaded = "0";
    $("path-from-here").href = "#/path/" + enc(iri);
    if (!sameEntity || !entityData) {
      entityData = null;
      $("entity-title").textContent = ""; // empty (so not "visible") until the entity is loaded
      document.title = `${iriTail(iri)} — kg`;
      $("entity-class").hidden = true;
      $("entity-wikidata").hidden = true;
      $("entity-aliases").replaceChildren();
      $("entity-relations").replaceChildren(el("p", { class: "muted", text: "Loading relations…" }));
      $("neighbours").replaceChildren();
      resetEdgeDetails();
    }
    loadNetwork();
    try {
      const data = await api("/api/entity", { iri });
      if (seq !== routeSeq) return;
      entityData = data;
      renderEntity(data);
      view.dataset.loaded = "1";
    } catch (err) {
      if (seq !== routeSeq) return;
      $("entity-title").textContent = iriTail(iri);
      $("entity-relations").replaceChildren(el("p", { class: "muted", text: "Could not load this entity." }));
      showError(err.message);
      view.dataset.loaded = "error";
    }
  }

  function renderEntity(e) {
    const label = e.label || iriTail(e.iri);
    $("entity-title").textContent = label;
    document.title = `${label} — kg`;
    const badge = $("entity-class");
    badge.className = `badge cls-${clsKey(e.cls)}`;
    badge.dataset.cls = e.cls || "";
    badge.textContent = CLASS_LABELS[e.cls] || e.cls || "Unknown";
    badge.hidden = false;

    const wd = $("entity-wikidata");
    const wdUrl = safeUrl(e.wikidata_url);
    if (wdUrl) {
      wd.href = wdUrl;
      wd.textContent = `Wikidata ${e.wikidata || ""}`.trim() + " ↗";
      wd.hidden = false;
    } else {
      wd.hidden = true;
      wd.removeAttribute("href");
    }

    const aliases = (e.aliases || []).filter((a) => a && a !== label);
    $("entity-aliases").replaceChildren(
      ...(aliases.length
        ? [el("span", { class: "aliases-label", text: "Also known as" }), ...aliases.map((a) => el("span", { class: "alias", text: a }))]
        : [el("span", { class: "muted", text: "No other names." })]),
    );

    // Relations grouped by family.
    const container = $("entity-relations");
    container.replaceChildren();
    const neighbours = new Map();
    for (const group of e.families || []) {
      const relations = group.relations || [];
      if (!relations.length) continue;
      const list = el("ul", { class: "relations" });
      for (const rel of relations) {
        const other = rel.other || { iri: "", label: "?", cls: "" };
        const out = rel.direction !== "in";
        list.append(
          el(
            "li",
            { class: "relation", dataset: { predicate: rel.predicate || "", direction: out ? "out" : "in", other: other.iri } },
            el(
              "div",
              { class: "relation-line" },
              el("span", {
                class: `direction direction-${out ? "out" : "in"}`,
                title: out ? `${label} → ${other.label}` : `${other.label} → ${label}`,
                text: out ? "→" : "←",
              }),
              el("span", { class: "predicate", text: rel.predicate || "" }),
              entityLink(other, "other-entity"),
              el("span", { class: "confidence", title: "confidence", text: fmtConfidence(rel.confidence) }),
            ),
            evidenceList(rel.evidence),
          ),
        );
        if (other.iri && other.iri !== e.iri) {
          const entry = neighbours.get(other.iri) || { info: other, predicates: new Set() };
          entry.predicates.add(rel.predicate);
          neighbours.set(other.iri, entry);
        }
      }
      container.append(
        el(
          "div",
          { class: "family-group", dataset: { family: group.family } },
          el("h3", { class: "family-name" }, group.family, el("span", { class: "count", text: String(relations.length) })),
          list,
        ),
      );
    }
    if (!container.childElementCount) container.append(el("p", { class: "muted", text: "No relations recorded for this entity." }));

    // Neighbours: every entity directly related to this one.
    const sorted = [...neighbours.values()].sort((a, b) =>
      (a.info.label || "").localeCompare(b.info.label || "", "fr", { sensitivity: "base" }),
    );
    if (cy) cy.resize(); // the header above the network may have changed height
    $("neighbours").replaceChildren(
      ...(sorted.length
        ? sorted.map((n) =>
            el(
              "li",
              { dataset: { iri: n.info.iri } },
              entityLink(n.info),
              el("span", { class: "muted neighbour-predicates", text: [...n.predicates].join(", ") }),
            ),
          )
        : [el("li", { class: "muted empty", text: "No neighbours." })]),
    );
  }

  // ------------------------------------------------------------------ network

  const netState = { depth: 1, minConfidence: 0, excluded: new Set(), families: [...FAMILIES] };
  let cy = null;
  let netSeq = 0;
  let lastNetwork = null;

  function setNetworkReady(value) {
    document.body.dataset.networkReady = value;
    $("network").dataset.ready = value;
  }

  function renderFamilyFilters() {
    const box = $("family-filters");
    const legend = box.querySelector("legend");
    box.replaceChildren(legend);
    for (const family of netState.families) {
      const input = el("input", { type: "checkbox", class: "family-filter", value: family, name: "family" });
      input.checked = !netState.excluded.has(family);
      box.append(el("label", { class: "family-chip", dataset: { family } }, input, el("span", { text: family })));
    }
  }

  function updateFamilies(serverFamilies) {
    if (!Array.isArray(serverFamilies)) return;
    const known = [...FAMILIES.filter((f) => serverFamilies.includes(f)), ...serverFamilies.filter((f) => !FAMILIES.includes(f))];
    if (!known.length) return;
    if (known.join("|") !== netState.families.join("|")) {
      netState.families = known;
      renderFamilyFilters();
    }
  }

  function checkedFamilies() {
    return netState.families.filter((f) => !netState.excluded.has(f));
  }

  function ensureCy() {
    if (cy) return cy;
    if (typeof window.cytoscape !== "function") throw new Error("The network library (Cytoscape.js) failed to load.");
    const classStyles = CLASSES.map((cls) => ({ selector: `node[cls = "${cls}"]`, style: { "background-color": CLASS_COLORS[cls] } }));
    cy = window.cytoscape({
      container: $("network"),
      elements: [],
      boxSelectionEnabled: false,
      minZoom: 0.2,
      maxZoom: 3,
      style: [
        {
          selector: "node",
          style: {
            "background-color": OTHER_COLOR,
            label: "data(label)",
            width: 24,
            height: 24,
            "border-width": 2,
            "border-color": "#ffffff",
            "font-family": NET_FONT,
            "font-size": 12,
            color: "#1f2933",
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-outline-color": "#ffffff",
            "text-outline-width": 2,
            "text-wrap": "ellipsis",
            "text-max-width": "150px",
          },
        },
        ...classStyles,
        {
          selector: "node.center",
          style: {
            width: 40,
            height: 40,
            "border-width": 4,
            "border-color": "#102a43",
            "font-size": 13,
            "font-weight": "bold",
            "z-index": 10,
          },
        },
        { selector: "node.label-top", style: { "text-valign": "top", "text-margin-y": -4 } },
        { selector: "node:selected", style: { "border-color": "#f0b429", "border-width": 4 } },
        {
          selector: "edge",
          style: {
            width: "mapData(confidence, 0, 1, 1, 4)",
            "line-color": "#a3adb8",
            "target-arrow-color": "#a3adb8",
            "target-arrow-shape": "triangle",
            "arrow-scale": 0.9,
            "curve-style": "bezier",
            "control-point-step-size": 50,
            label: "data(predicate)",
            "font-family": NET_FONT,
            "font-size": 10,
            color: "#52606d",
            "text-rotation": "none",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            "text-background-padding": "2px",
          },
        },
        { selector: 'edge[family = "opposes"]', style: { "line-style": "dashed" } },
        {
          selector: "edge:selected",
          style: { "line-color": "#d64545", "target-arrow-color": "#d64545", color: "#b02a2a", width: 4, "z-index": 10 },
        },
      ],
    });
    window.kgCy = cy;
    // Cytoscape caches where its container is on the page and only forgets it on scroll or
    // resize: when something above the network changes height (the entity header filling
    // in, the error banner, the filter row wrapping) tell it, or clicks land off target.
    if (typeof ResizeObserver === "function") {
      const observer = new ResizeObserver(() => {
        if (cy) cy.resize();
      });
      for (const node of [$("error"), document.querySelector(".topbar"), document.querySelector(".entity-head"), $("network-controls")]) {
        if (node) observer.observe(node);
      }
    }
    cy.on("tap", "node", (evt) => {
      const iri = evt.target.id();
      if (iri && iri !== currentEntity) go(entityHref(iri));
    });
    cy.on("tap", "edge", (evt) => showEdgeDetails(evt.target));
    cy.on("mouseover", "node, edge", () => {
      $("network").style.cursor = "pointer";
    });
    cy.on("mouseout", "node, edge", () => {
      $("network").style.cursor = "";
    });
    return cy;
  }

  async function loadNetwork() {
    const iri = currentEntity;
    const seq = ++netSeq;
    setNetworkReady("0");
    $("network").dataset.center = iri;
    const families = checkedFamilies();
    if (!families.length) {
      // Nothing to ask for: "no family" would mean "all" to the server.
      const center = lastNetwork && lastNetwork.center === iri ? lastNetwork.nodes.filter((n) => n.iri === iri) : [];
      renderNetwork({ center: iri, nodes: center.length ? center : [{ iri, label: iriTail(iri), cls: "", distance: 0 }], edges: [] });
      $("network-summary").textContent = "No relation family selected.";
      return;
    }
    const params = { iri, depth: netState.depth, min_confidence: netState.minConfidence };
    if (families.length < netState.families.length) params.family = families;
    try {
      const data = await api("/api/neighbourhood", params);
      if (seq !== netSeq || iri !== currentEntity) return;
      lastNetwork = data;
      updateFamilies(data.families);
      renderNetwork(data);
    } catch (err) {
      if (seq !== netSeq) return;
      if (cy) cy.elements().remove();
      $("network-summary").textContent = "";
      showError(err.message);
      setNetworkReady("error");
    }
  }

  function renderNetwork(data) {
    let graph;
    try {
      graph = ensureCy();
    } catch (err) {
      showError(err.message);
      setNetworkReady("error");
      return;
    }
    const nodes = Array.isArray(data.nodes) ? data.nodes : [];
    const edges = Array.isArray(data.edges) ? data.edges : [];
    const ids = new Set();
    const elements = [];
    for (const n of nodes) {
      if (!n || !n.iri || ids.has(n.iri)) continue;
      ids.add(n.iri);
      const distance = Number.isFinite(n.distance) ? n.distance : n.iri === data.center ? 0 : 1;
      elements.push({
        group: "nodes",
        data: { id: n.iri, label: n.label || iriTail(n.iri), cls: n.cls || "", distance },
        classes: n.iri === data.center ? "center" : "",
      });
    }
    const edgeIds = new Set();
    let skipped = 0;
    for (const e of edges) {
      if (!e || !ids.has(e.source) || !ids.has(e.target)) {
        skipped++;
        continue;
      }
      let id = e.id ? String(e.id) : `${e.source} ${e.predicate} ${e.target}`;
      while (edgeIds.has(id) || ids.has(id)) id += "'";
      edgeIds.add(id);
      elements.push({
        group: "edges",
        data: {
          id,
          source: e.source,
          target: e.target,
          predicate: e.predicate || "",
          family: e.family || "",
          confidence: typeof e.confidence === "number" ? e.confidence : 0,
          evidence: Array.isArray(e.evidence) ? e.evidence : [],
        },
      });
    }
    if (skipped) console.warn(`kg: ${skipped} edge(s) refer to nodes missing from the neighbourhood`);

    resetEdgeDetails();
    graph.batch(() => {
      graph.elements().remove();
      graph.add(elements);
    });
    graph.resize();
    const positions = radialPositions(data.center, elements);
    const layout = graph.layout({
      name: "preset",
      positions: (node) => positions.get(node.id()) || { x: 0, y: 0 },
      animate: false,
      fit: true,
      padding: 40,
    });
    layout.one("layoutstop", () => {
      // Labels away from the centre: above the nodes in the upper half, below elsewhere,
      // so that edges (mostly radial) do not run into them.
      const center = graph.nodes(".center");
      const middle = center.nonempty() ? center.position("y") : 0;
      graph.nodes().forEach((node) => {
        node.toggleClass("label-top", !node.hasClass("center") && node.position("y") < middle - 1);
      });
      graph.fit(undefined, 40);
      if (graph.zoom() > 1.25) {
        graph.zoom(1.25);
        graph.center();
      }
      const nNodes = graph.nodes().length;
      const nEdges = graph.edges().length;
      $("network-summary").textContent =
        `${nNodes} node${nNodes === 1 ? "" : "s"}, ${nEdges} edge${nEdges === 1 ? "" : "s"}` +
        (data.truncated ? " — truncated: only the nearest entities are shown" : "");
      $("network").dataset.truncated = data.truncated ? "1" : "0";
      setNetworkReady("1");
    });
    layout.run();
  }

  /**
   * A deterministic radial tree: the centre in the middle, the entities at distance d on
   * ring d, each one inside the angular sector of its parent (a neighbour one ring further
   * in), sectors sized by the number of leaves below. Returns Map(iri -> {x, y}).
   */
  function radialPositions(center, elements) {
    const nodes = elements.filter((e) => e.group === "nodes").map((e) => e.data);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const byLabel = (a, b) => a.label.localeCompare(b.label, "fr") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const neighbours = new Map(nodes.map((n) => [n.id, new Set()]));
    for (const e of elements) {
      if (e.group !== "edges" || e.data.source === e.data.target) continue;
      neighbours.get(e.data.source).add(e.data.target);
      neighbours.get(e.data.target).add(e.data.source);
    }
    const root = byId.has(center) ? center : nodes.length ? nodes[0].id : null;
    const positions = new Map();
    if (!root) return positions;
    const depth = (n) => (n.id === root ? 0 : Math.max(1, n.distance || 0));

    // Parent: the first (by label) neighbour one ring further in; the centre otherwise.
    const children = new Map(nodes.map((n) => [n.id, []]));
    for (const n of [...nodes].sort(byLabel)) {
      if (n.id === root) continue;
      const inner = [...neighbours.get(n.id)].map((id) => byId.get(id)).filter((m) => depth(m) === depth(n) - 1).sort(byLabel);
      const parent = inner.length ? inner[0].id : root;
      children.get(parent).push(n);
    }
    const weight = new Map();
    const weigh = (id, seen) => {
      if (seen.has(id)) return 0;
      seen.add(id);
      const w = children.get(id).reduce((sum, c) => sum + weigh(c.id, seen), 0);
      weight.set(id, Math.max(1, w));
      return weight.get(id);
    };
    weigh(root, new Set());

    // Ring radii: at least 120 apart, and wide enough for the nodes on each ring.
    const perRing = new Map();
    for (const n of nodes) perRing.set(depth(n), (perRing.get(depth(n)) || 0) + 1);
    const radius = [0];
    for (let d = 1; d <= Math.max(0, ...perRing.keys()); d++) {
      radius[d] = Math.max(radius[d - 1] + 120, ((perRing.get(d) || 0) * 110) / (2 * Math.PI));
    }

    // Angles: 0 is straight up, clockwise.
    const place = (id, from, to) => {
      const d = depth(byId.get(id));
      const angle = (from + to) / 2;
      positions.set(id, { x: radius[d] * Math.sin(angle), y: -radius[d] * Math.cos(angle) });
      let start = from;
      for (const child of children.get(id)) {
        if (positions.has(child.id)) continue;
        const span = ((to - from) * (weight.get(child.id) || 1)) / (weight.get(id) || 1);
        place(child.id, start, start + span);
        start += span;
      }
    };
    // The first ring starts half a sector left of the top, so one neighbour sits straight up.
    const first = children.get(root);
    const offset = first.length ? (Math.PI * (weight.get(first[0].id) || 1)) / (weight.get(root) || 1) : 0;
    place(root, -offset, 2 * Math.PI - offset);
    positions.set(root, { x: 0, y: 0 });
    return positions;
  }

  function resetEdgeDetails() {
    const box = $("edge-details");
    delete box.dataset.edgeId;
    box.classList.remove("has-edge");
    box.replaceChildren(el("p", { class: "muted", text: "Click an edge in the network to see its evidence." }));
  }

  function showEdgeDetails(edge) {
    const d = edge.data();
    const nodeInfo = (id) => {
      const node = cy.getElementById(id);
      return { iri: id, label: node.nonempty() ? node.data("label") : iriTail(id), cls: node.nonempty() ? node.data("cls") : "" };
    };
    const box = $("edge-details");
    box.dataset.edgeId = d.id;
    box.classList.add("has-edge");
    box.replaceChildren(
      el("h3", { class: "edge-title" }, el("span", { class: "predicate", text: d.predicate }), el("span", { class: "family muted", text: d.family })),
      el(
        "p",
        { class: "edge-ends" },
        entityLink(nodeInfo(d.source), "edge-source"),
        el("span", { class: "edge-arrow", text: ` —${d.predicate}→ ` }),
        entityLink(nodeInfo(d.target), "edge-target"),
      ),
      el("p", { class: "edge-confidence" }, "Confidence: ", el("b", { text: fmtConfidence(d.confidence) })),
      evidenceList(d.evidence),
    );
  }

  function bindNetworkControls() {
    $("network-controls").addEventListener("submit", (e) => e.preventDefault());
    $("depth").addEventListener("change", () => {
      const depth = parseInt($("depth").value, 10);
      netState.depth = depth >= 1 && depth <= 3 ? depth : 1;
      if (currentEntity) loadNetwork();
    });
    $("family-filters").addEventListener("change", (e) => {
      const input = e.target;
      if (!input.classList || !input.classList.contains("family-filter")) return;
      if (input.checked) netState.excluded.delete(input.value);
      else netState.excluded.add(input.value);
      if (currentEntity) loadNetwork();
    });
    const number = $("min-confidence");
    const slider = $("min-confidence-slider");
    const reload = debounce(() => {
      if (currentEntity) loadNetwork();
    }, CONFIDENCE_DEBOUNCE_MS);
    const apply = (raw, immediate) => {
      let value = parseFloat(raw);
      if (!Number.isFinite(value)) return;
      value = Math.min(1, Math.max(0, value));
      if (value === netState.minConfidence) return;
      netState.minConfidence = value;
      if (immediate) {
        reload.cancel();
        if (currentEntity) loadNetwork();
      } else reload();
    };
    number.addEventListener("input", () => {
      slider.value = number.value;
      apply(number.value, false);
    });
    number.addEventListener("change", () => {
      slider.value = number.value;
      apply(number.value, true);
    });
    slider.addEventListener("input", () => {
      number.value = Number(slider.value).toFixed(2);
      apply(slider.value, false);
    });
    slider.addEventListener("change", () => {
      number.value = Number(slider.value).toFixed(2);
      apply(slider.value, true);
    });
  }

  // --------------------------------------------------------------- path finder

  const labelCache = new Map();

  async function entityLabel(iri) {
    if (labelCache.has(iri)) return labelCache.get(iri);
    try {
      const data = await api("/api/entity", { iri }, { quiet: true });
      const label = data.label || iriTail(iri);
      labelCache.set(iri, label);
      return label;
    } catch (_) {
      return iriTail(iri);
    }
  }

  async function fillPathInput(input, iri) {
    if (!iri) {
      delete input.dataset.iri;
      return;
    }
    if (input.dataset.iri === iri && input.value) return;
    input.dataset.iri = iri;
    input.value = labelCache.get(iri) || iriTail(iri);
    const label = await entityLabel(iri);
    if (input.dataset.iri === iri) input.value = label;
  }

  async function showPath(from, to, seq) {
    showView("path");
    document.title = "Path finder — kg";
    const view = $("path-view");
    const result = $("path-result");
    view.dataset.loaded = "0";
    fillPathInput($("path-from"), from);
    fillPathInput($("path-to"), to);
    if (!from || !to) {
      result.replaceChildren();
      delete result.dataset.status;
      view.dataset.loaded = "1";
      (from ? $("path-to") : $("path-from")).focus();
      return;
    }
    result.dataset.status = "loading";
    result.replaceChildren(el("p", { class: "muted", text: "Searching for a path…" }));
    try {
      const data = await api("/api/path", { source: from, target: to });
      if (seq !== routeSeq) return;
      renderPath(data);
      result.dataset.status = "ok";
    } catch (err) {
      if (seq !== routeSeq) return;
      result.dataset.status = "error";
      result.replaceChildren(el("p", { class: "path-error", text: err.message }));
      showError(err.message);
    }
    view.dataset.loaded = "1";
  }

  function renderPath(data) {
    const result = $("path-result");
    const hops = Array.isArray(data.hops) ? data.hops : [];
    if (!hops.length) {
      result.replaceChildren(el("p", { class: "muted", text: "The two entities are the same: the path is empty." }));
      return;
    }
    const first = hops[0].source;
    const last = hops[hops.length - 1].target;
    labelCache.set(first.iri, first.label);
    labelCache.set(last.iri, last.label);
    const list = el("ol", { class: "hops" });
    for (const hop of hops) {
      const forward = hop.forward !== false;
      list.append(
        el(
          "li",
          { class: "hop", dataset: { predicate: hop.predicate || "", forward: forward ? "true" : "false" } },
          el(
            "div",
            { class: "hop-line" },
            entityLink(hop.source, "hop-source"),
            el("span", {
              class: `hop-arrow ${forward ? "forward" : "backward"}`,
              text: forward ? ` —${hop.predicate}→ ` : ` ←${hop.predicate}— `,
            }),
            entityLink(hop.target, "hop-target"),
            hop.family ? el("span", { class: "family muted", text: hop.family }) : null,
            el("span", { class: "confidence", title: "confidence", text: fmtConfidence(hop.confidence) }),
          ),
          evidenceList(hop.evidence),
        ),
      );
    }
    result.replaceChildren(
      el(
        "p",
        { class: "path-summary" },
        `${hops.length} hop${hops.length === 1 ? "" : "s"} from `,
        entityLink(first),
        " to ",
        entityLink(last),
      ),
      list,
    );
  }

  async function resolveInput(input) {
    if (input.dataset.iri) return input.dataset.iri;
    const text = input.value.trim();
    if (!text) return null;
    const data = await api("/api/search", { q: text, limit: 1 });
    const hit = (data.results || [])[0];
    if (!hit) throw new ApiError(`No entity matches “${text}”.`, 404);
    input.dataset.iri = hit.iri;
    input.value = hit.label || text;
    labelCache.set(hit.iri, hit.label);
    return hit.iri;
  }

  function bindPathForm() {
    const from = $("path-from");
    const to = $("path-to");
    for (const input of [from, to]) {
      input.addEventListener("input", () => delete input.dataset.iri);
      typeahead(input, $(`${input.id}-suggestions`), (r) => {
        input.value = r.label || iriTail(r.iri);
        input.dataset.iri = r.iri;
        labelCache.set(r.iri, r.label);
        if (input === from && !to.dataset.iri) to.focus();
      });
    }
    $("path-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      clearError();
      try {
        const a = await resolveInput(from);
        const b = await resolveInput(to);
        if (!a || !b) {
          showError("Choose both entities to find a path.");
          return;
        }
        go(`#/path/${enc(a)}/${enc(b)}`);
      } catch (err) {
        showError(err.message);
      }
    });
  }

  // ------------------------------------------------------------------ article

  async function showArticle(iri, seq) {
    showView("article");
    const view = $("article-view");
    view.dataset.iri = iri;
    view.dataset.loaded = "0";
    $("article-title").textContent = iriTail(iri);
    document.title = `${iriTail(iri)} — kg`;
    $("article-meta").replaceChildren();
    $("article-text").replaceChildren(el("p", { class: "muted", text: "Loading article…" }));
    $("article-relations").replaceChildren();
    try {
      const data = await api("/api/article", { iri });
      if (seq !== routeSeq) return;
      renderArticle(data);
      view.dataset.loaded = "1";
    } catch (err) {
      if (seq !== routeSeq) return;
      // 404 with the article: its text is not served (see text_note), the rest is shown
      if (err.status === 404 && err.body && err.body.iri === iri) {
        renderArticle(err.body);
        view.dataset.loaded = "1";
        return;
      }
      $("article-text").replaceChildren(el("p", { class: "muted", text: "Could not load this article." }));
      showError(err.message);
      view.dataset.loaded = "error";
    }
  }

  /** Text with mentions as <mark class="mention">. Offsets are in code points (Python str indices). */
  function renderMentionText(container, text, mentions) {
    const chars = Array.from(text);
    const slice = (a, b) => chars.slice(a, b).join("");
    const sorted = (Array.isArray(mentions) ? mentions : [])
      .filter((m) => m && Number.isInteger(m.start) && Number.isInteger(m.end) && m.start < m.end)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    let pos = 0;
    const fragment = document.createDocumentFragment();
    for (const m of sorted) {
      if (m.start < pos || m.end > chars.length) continue; // overlapping or out of range: skip
      if (m.start > pos) fragment.append(document.createTextNode(slice(pos, m.start)));
      fragment.append(
        el("mark", {
          class: `mention cls-${clsKey(m.cls)}`,
          title: m.label || iriTail(m.iri),
          tabindex: "0",
          role: "link",
          dataset: { iri: m.iri || "", cls: m.cls || "" },
          text: slice(m.start, m.end),
        }),
      );
      pos = m.end;
    }
    if (pos < chars.length) fragment.append(document.createTextNode(slice(pos)));
    container.replaceChildren(fragment);
  }

  function renderArticle(a) {
    const title = a.title || iriTail(a.iri);
    $("article-title").textContent = title;
    document.title = `${title} — kg`;

    const url = safeUrl(a.url);
    // replaceChildren would write a null as the text "null": absent fields are filtered out
    $("article-meta").replaceChildren(...[
      a.date ? el("span", { class: "article-date", text: a.date }) : null,
      a.source ? el("span", { class: "article-source", text: a.source }) : null,
      url
        ? el("a", { class: "article-url", href: url, target: "_blank", rel: "noopener noreferrer", text: "Original article ↗" })
        : a.url
          ? el("span", { class: "article-url", text: a.url })
          : null,
      el("span", { class: "article-iri muted", title: a.iri, text: iriTail(a.iri) }),
    ].filter(Boolean));

    const textBox = $("article-text");
    if (typeof a.text === "string") {
      textBox.classList.remove("no-text");
      renderMentionText(textBox, a.text, a.mentions);
    } else {
      textBox.classList.add("no-text");
      textBox.replaceChildren(
        el("p", { class: "text-note", text: a.text_note || "The text of this article is not available." }),
      );
    }

    const relations = Array.isArray(a.relations) ? a.relations : [];
    $("article-relations").replaceChildren(
      ...(relations.length
        ? relations.map((r) =>
            el(
              "li",
              { class: "article-relation", dataset: { predicate: r.predicate || "", family: r.family || "" } },
              el(
                "div",
                { class: "relation-line" },
                entityLink(r.subject || { iri: "", label: "?" }),
                el("span", { class: "predicate-arrow", text: ` —${r.predicate}→ ` }),
                entityLink(r.object || { iri: "", label: "?" }),
                r.negated ? el("span", { class: "flag flag-negated", text: "negated" }) : null,
                el("span", { class: "confidence", title: "confidence", text: fmtConfidence(r.confidence) }),
              ),
              r.sentence ? el("blockquote", { class: "sentence", text: r.sentence }) : null,
            ),
          )
        : [el("li", { class: "muted empty", text: "No relation was extracted from this article." })]),
    );
  }

  function bindArticleText() {
    const box = $("article-text");
    const open = (target) => {
      const mark = target.closest && target.closest("mark.mention");
      if (mark && mark.dataset.iri) go(entityHref(mark.dataset.iri));
    };
    box.addEventListener("click", (e) => open(e.target));
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter") open(e.target);
    });
  }

  // ------------------------------------------------------------- article list

  let articlesCache = null;

  async function showArticles(seq) {
    showView("articles");
    document.title = "Articles — kg";
    const view = $("articles-view");
    view.dataset.loaded = "0";
    if (!articlesCache) {
      $("article-list").replaceChildren(el("li", { class: "muted empty", text: "Loading articles…" }));
      try {
        const data = await api("/api/articles");
        articlesCache = Array.isArray(data.articles) ? data.articles : [];
      } catch (err) {
        if (seq !== routeSeq) return;
        $("article-list").replaceChildren();
        showError(err.message);
        view.dataset.loaded = "error";
        return;
      }
      if (seq !== routeSeq) return;
    }
    renderArticleList();
    view.dataset.loaded = "1";
  }

  function renderArticleList() {
    const filter = normalise($("articles-filter").value.trim());
    const all = articlesCache || [];
    const shown = filter ? all.filter((a) => normalise(a.title || a.iri).includes(filter)) : all;
    $("articles-count").textContent = filter ? `${shown.length} of ${all.length}` : `${all.length} article${all.length === 1 ? "" : "s"}`;
    $("article-list").replaceChildren(
      ...(shown.length
        ? shown.map((a) =>
            el(
              "li",
              { class: "article-item", dataset: { iri: a.iri } },
              articleLink(a),
              a.date ? el("span", { class: "article-date muted", text: a.date }) : null,
            ),
          )
        : [el("li", { class: "muted empty", text: all.length ? "No article matches the filter." : "No articles." })]),
    );
  }

  // -------------------------------------------------------------------- start

  function start() {
    renderLegends();
    renderFamilyFilters();
    $("error-close").addEventListener("click", clearError);
    typeahead(
      $("search"),
      $("suggestions"),
      (r) => {
        $("search").value = "";
        $("search").blur();
        go(entityHref(r.iri));
      },
      { enterSelectsFirst: true },
    );
    bindNetworkControls();
    bindPathForm();
    bindArticleText();
    $("articles-filter").addEventListener("input", renderArticleList);
    window.addEventListener("hashchange", route);
    loadStats();
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
