// The settings object the server receives (initializationOptions, didChangeConfiguration and
// workspace/configuration all carry the same shape).
import * as vscode from "vscode";
import { expandPath } from "./interpreter";

export const SECTION = "docdiff";

/** Settings that only the client uses; they are never sent to the server. */
const CLIENT_ONLY = new Set(["interpreter", "trace"]);

/** Path-valued settings, where `~` and `${workspaceFolder}` are expanded. */
const PATH_SETTINGS = new Set(["index", "formulae"]);

/** docdiff.* settings as the server expects them: nested (`corpus.paths` → `corpus: {paths}`). */
export function serverSettings(resource?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, resource);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(config)) {
    const value: unknown = config.get(key);
    if (CLIENT_ONLY.has(key) || typeof value === "function" || value === undefined) {
      continue;
    }
    out[key] = value;
  }
  for (const key of PATH_SETTINGS) {
    const value = out[key];
    if (typeof value === "string" && value) {
      out[key] = expandPath(value, resource);
    }
  }
  const corpus = out["corpus"];
  if (corpus && typeof corpus === "object") {
    const paths = (corpus as { paths?: unknown }).paths;
    out["corpus"] = {
      ...corpus,
      paths: Array.isArray(paths) ? paths.map((p) => (typeof p === "string" ? expandPath(p, resource) : p)) : paths,
    };
  }
  return out;
}
