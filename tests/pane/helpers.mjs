// Shared by the node tests: what the document must read after every suggestion is applied.
import { applyEdits } from "../../taskpane/src/offsets.js";

/** Edits merged per paragraph (they never overlap), then insertions after their anchors in order. */
export function expectedAfterAll(paragraphs, findings) {
  const edits = new Map();
  const inserted = new Map();
  for (const f of findings) {
    const s = f.suggestion;
    if (!s || f.covered_by) continue; // a merged finding is written by the finding that covers it
    if ((s.type || (s.insert_after !== undefined ? "insert" : "edit")) === "insert") {
      inserted.set(s.insert_after, [...(inserted.get(s.insert_after) || []), ...s.paragraphs.map((p) => p.text)]);
    } else edits.set(s.paragraph_id, [...(edits.get(s.paragraph_id) || []), ...s.edits]);
  }
  const out = [];
  for (const p of paragraphs) {
    out.push(edits.has(p.id) ? applyEdits(p.text, edits.get(p.id)) : p.text);
    out.push(...(inserted.get(p.id) || []));
  }
  return out;
}
