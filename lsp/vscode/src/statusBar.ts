// Status-bar item: indexing progress first, then the active document's similarity.
import * as vscode from "vscode";

/** Payload of the server's `docdiff/status` notification. */
export interface StatusParams {
  state: "indexing" | "ready" | string;
  done?: number;
  total?: number;
  similarity?: number | null;
  uri?: string;
}

type Phase = "starting" | "indexing" | "ready" | "stopped" | "missing";

/** A similarity on the engine's 0-100 scale, as the status bar shows it. */
export function percent(similarity: number): string {
  return `${Math.round(similarity)}%`;
}

export class DocdiffStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly similarity = new Map<string, number | null>();
  private readonly disposables: vscode.Disposable[] = [];
  private phase: Phase = "starting";
  private progress = { done: 0, total: 0 };
  private detail = "";

  constructor(
    private readonly showReportCommand: string,
    private readonly restartCommand: string,
  ) {
    this.item = vscode.window.createStatusBarItem("docdiff.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "docdiff";
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  /** Apply a `docdiff/status` notification. */
  update(params: StatusParams): void {
    if (params.state === "indexing") {
      this.phase = "indexing";
      this.progress = { done: params.done ?? 0, total: params.total ?? 0 };
    } else {
      this.phase = "ready";
    }
    if (params.uri && params.similarity !== undefined) {
      this.similarity.set(normaliseUri(params.uri), params.similarity);
    }
    this.render();
  }

  /** Show a life-cycle state that did not come from the server (starting, stopped, missing). */
  setPhase(phase: Phase, detail = ""): void {
    this.phase = phase;
    this.detail = detail;
    this.render();
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    item.command = this.phase === "missing" || this.phase === "stopped" ? this.restartCommand : this.showReportCommand;
    switch (this.phase) {
      case "starting":
        item.text = "$(loading~spin) docdiff";
        item.tooltip = "docdiff: starting the language server…";
        return;
      case "missing":
        item.text = "$(warning) docdiff";
        item.tooltip = `docdiff is not installed: ${this.detail}. Click to start the server again.`;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
        return;
      case "stopped":
        item.text = "$(error) docdiff";
        item.tooltip = `docdiff: the language server is not running. ${this.detail} Click to restart it.`;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        return;
      case "indexing": {
        const { done, total } = this.progress;
        item.text = total > 0 ? `$(sync~spin) docdiff: indexing ${done}/${total}` : "$(sync~spin) docdiff: indexing";
        item.tooltip = "docdiff is indexing the corpus; reused passages appear as it goes.";
        return;
      }
      case "ready":
        this.renderDocument();
        return;
    }
  }

  private renderDocument(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) {
      this.item.text = "$(check) docdiff";
      this.item.tooltip = "docdiff: corpus indexed. Open a document to see its reused passages.";
      return;
    }
    const ours = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === "docdiff");
    const passages = ours.length;
    const similarity = this.similarity.get(normaliseUri(doc.uri.toString()));
    const parts: string[] = [];
    if (typeof similarity === "number") {
      parts.push(percent(similarity));
    }
    parts.push(`${passages} ${passages === 1 ? "passage" : "passages"}`);
    this.item.text = `$(diff) docdiff: ${parts.join(" · ")}`;
    const lines: string[] = [];
    if (typeof similarity === "number") {
      lines.push(
        `Highest similarity of ${vscode.workspace.asRelativePath(doc.uri)} with a corpus document: ${percent(similarity)}.`,
      );
    }
    lines.push(`${passages} reused ${passages === 1 ? "passage" : "passages"}${kindBreakdown(ours)}.`);
    lines.push("Click for the similarity report.");
    this.item.tooltip = lines.join("\n");
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

/** "(2 phrasing, 6 name)": names and formulae are hints, which the Problems panel leaves out. */
function kindBreakdown(diagnostics: readonly vscode.Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of diagnostics) {
    const code = typeof d.code === "object" ? String(d.code.value) : String(d.code ?? "other");
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
  return parts.length ? `: ${parts.join(", ")}` : "";
}

/** URIs from the server may percent-encode differently from VS Code's; compare them parsed. */
function normaliseUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri).toString();
  } catch {
    return uri;
  }
}
