// The API client: one place that knows the routes, the error envelope and what to tell the user.

export class ApiError extends Error {
  constructor(message, { status = 0, code = "network", details = null, retryable = false } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryable = retryable;
  }
}

const REVIEW_OPTIONS = ["agency_risk", "project_name", "liquidated_damages", "party"];

/** The options object POST /api/v1/review accepts (the server rejects unknown fields). */
export function reviewOptions(options = {}) {
  const out = {};
  for (const k of REVIEW_OPTIONS) {
    const v = typeof options[k] === "string" ? options[k].trim() : options[k];
    if (v !== undefined && v !== null && v !== "") out[k] = v;
  }
  return out;
}

/** Fit paragraphs to the documented limits on the optional hints. */
export function requestParagraphs(paragraphs) {
  return paragraphs.map((p) => {
    const out = { id: String(p.id), text: p.text };
    if (p.style) out.style = String(p.style).slice(0, 200);
    if (p.list_label) out.list_label = String(p.list_label).slice(0, 50);
    if (p.revisions?.length) out.revisions = p.revisions; // the tracked changes Word gave (round two on)
    return out;
  });
}

function firstDetail(details) {
  // {"json": {"paragraphs": {"3": {"id": ["Duplicate paragraph id 'p-3'."]}}}} -> that message
  let node = details;
  for (let i = 0; i < 8 && node && typeof node === "object"; i++) {
    if (Array.isArray(node)) return typeof node[0] === "string" ? node[0] : null;
    const keys = Object.keys(node);
    if (!keys.length) return null;
    node = node[keys[0]];
  }
  return typeof node === "string" ? node : null;
}

async function toError(resp, { notAvailable } = {}) {
  let env = null;
  try {
    env = await resp.json();
  } catch {
    /* not JSON: fall through */
  }
  const e = env && env.error ? env.error : {};
  const status = resp.status;
  if (status === 404 && notAvailable) {
    return new ApiError(notAvailable, { status, code: "not_available" });
  }
  let message = e.message || `The server answered ${status}.`;
  const detail = firstDetail(e.details);
  if (detail && !message.includes(detail)) message = `${message} ${detail}`;
  if (status === 413) message = e.message || "The document is larger than this server accepts.";
  if (status === 429) message = "The server is busy. Wait a moment, then retry.";
  if (status >= 500) message = "The server had a problem reviewing this document. Retry in a moment; nothing was lost.";
  return new ApiError(message, { status, code: e.code || `http_${status}`, details: e.details || null, retryable: status >= 500 || status === 429 });
}

export function createApi({ base = "", fetchImpl, timeoutMs = 30000 } = {}) {
  const doFetch = fetchImpl || ((...a) => globalThis.fetch(...a));

  async function call(path, init = {}, { notAvailable, as = "json" } = {}) {
    const ctrl = typeof AbortController !== "undefined" ? new AbortController() : null;
    const timer = ctrl ? setTimeout(() => ctrl.abort(), timeoutMs) : null;
    let resp;
    try {
      resp = await doFetch(`${base}${path}`, { ...init, signal: ctrl?.signal, credentials: "same-origin" });
    } catch (err) {
      const timedOut = err && err.name === "AbortError";
      throw new ApiError(
        timedOut
          ? "The server took too long to answer. Retry; nothing was lost."
          : "Can't reach the TermScore server. Check your connection or that the server is running, then retry. Nothing was lost.",
        { code: timedOut ? "timeout" : "network", retryable: true },
      );
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (!resp.ok) throw await toError(resp, { notAvailable });
    if (as === "blob") return { blob: await resp.blob(), filename: filenameOf(resp) };
    try {
      return await resp.json();
    } catch {
      throw new ApiError("The server's answer was not valid JSON.", { status: resp.status, code: "bad_response", retryable: true });
    }
  }

  return {
    review(paragraphs, options, negotiation) {
      const body = { paragraphs: requestParagraphs(paragraphs), options: reviewOptions(options) };
      if (negotiation) body.negotiation = negotiation; // {round_log, author, revisions_read} (Word only)
      return call("/api/v1/review", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
    },
    /** The document's round log with this round added: {round, round_log}. */
    roundLog({ roundLog, review, applied, alternatives, author }) {
      const body = { round_log: roundLog ?? null, review, applied, alternatives: alternatives || {} };
      if (author) body.author = author; // the name Word wrote our changes under
      return call("/api/v1/round-log", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
    },
    playbook() {
      return call("/api/v1/playbook", { headers: { Accept: "application/json" } });
    },
    reviewDocx(file, options) {
      const form = new FormData();
      form.append("file", file, file.name || "contract.docx");
      form.append("options", JSON.stringify(reviewOptions(options)));
      return call("/api/v1/review/docx", { method: "POST", body: form, headers: { Accept: "application/json" } }, {
        notAvailable: "This server does not review .docx files yet. Paste the text instead.",
      });
    },
    /** The shareable report of a review (the server's response as it came): {blob, filename}. */
    report(review, paragraphs, format = "markdown", title = null) {
      const body = { review, format, paragraphs: (paragraphs || []).map(({ id, text }) => ({ id, text })) };
      if (title) body.title = title;
      return call("/api/v1/report", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }, { as: "blob", notAvailable: "This server cannot write reports yet." });
    },
    redline(file, options) {
      const form = new FormData();
      form.append("file", file, file.name || "contract.docx");
      form.append("options", JSON.stringify(options));
      return call("/api/v1/redline", { method: "POST", body: form }, {
        as: "blob",
        notAvailable: "This server cannot produce a redlined .docx yet.",
      });
    },
  };
}

function filenameOf(resp) {
  const cd = resp.headers?.get?.("Content-Disposition") || "";
  const star = cd.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = cd.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : null;
}
