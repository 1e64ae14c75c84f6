// Status-bar item: one item for everything (indexing progress, then the active document's
// headline). It keeps the last result shown until a new one arrives, so it never flickers
// through "0 passages" while the server starts or re-checks. A result computed while the corpus
// is still being indexed is provisional (the index is partial): it shows in the indexing
// tooltip only, never as the document's result.
import * as vscode from "vscode";

/** The figures the server counts once for every view (Problems, status bar, lens, report). */
export interface Counts {
  reused: number;
  echoes: number;
  formulae: number;
  otherHints?: number;
  mostSimilar?: string | null;
  similarity?: number | null;
  headline: string;
}

/** Payload of the server's `docdiff/status` notification. */
export interface StatusParams {
  state: "indexing" | "ready" | string;
  done?: number;
  total?: number;
  similarity?: number | null;
  uri?: string;
  counts?: Counts | null;
}

type Phase = "starting" | "indexing" | "ready" | "stopped" | "missing";

/** A similarity on the engine's 0-100 scale, as the status bar shows it. */
export function percent(similarity: number): string {
  return `${Math.round(similarity)} %`;
}

/** The status text of a document's counts: the server's own headline, shortened. */
export function statusText(counts: Counts): string {
  const parts = [`${counts.reused} reused ${counts.reused === 1 ? "passage" : "passages"}`];
  if (counts.echoes) {
    parts.push(`${counts.echoes} ${counts.echoes === 1 ? "echo" : "echoes"}`);
  }
  if (counts.mostSimilar && typeof counts.similarity === "number") {
    parts.push(`${counts.similarity} %`);
  }
  const similar = parts.length > 1 && typeof counts.similarity === "number" ? parts.pop() : undefined;
  return `docdiff: ${parts.join(", ")}${similar ? ` · ${similar}` : ""}`;
}

export class DocdiffStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly counts = new Map<string, Counts>();
  /** Results computed on a partial index (while indexing), per document. */
  private readonly provisional = new Map<string, Counts>();
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
    this.disposables.push(this.item, vscode.window.onDidChangeActiveTextEditor(() => this.render()));
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
    if (params.uri && params.counts) {
      const key = normaliseUri(params.uri);
      if (params.state === "indexing") {
        this.provisional.set(key, params.counts);
      } else {
        this.counts.set(key, params.counts);
        this.provisional.delete(key);
      }
    }
    this.render();
  }

  /** Show a life-cycle state that did not come from the server (starting, stopped, missing). */
  setPhase(phase: Phase, detail = ""): void {
    this.phase = phase;
    this.detail = detail;
    this.render();
  }

  private current(): Counts | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    return doc ? this.counts.get(normaliseUri(doc.uri.toString())) : undefined;
  }

  private currentProvisional(): Counts | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    return doc ? this.provisional.get(normaliseUri(doc.uri.toString())) : undefined;
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    item.command = this.phase === "missing" || this.phase === "stopped" ? this.restartCommand : this.showReportCommand;
    const known = this.current();
    switch (this.phase) {
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
      case "starting":
        if (known) {
          this.renderCounts(known, "docdiff: starting the language server…");
          return;
        }
        item.text = "$(loading~spin) docdiff";
        item.tooltip = "docdiff: starting the language server…";
        return;
      case "indexing": {
        const { done, total } = this.progress;
        const sofar = this.currentProvisional() ?? known;
        item.text = total > 0 ? `$(sync~spin) docdiff: indexing ${done}/${total}` : "$(sync~spin) docdiff: indexing";
        item.tooltip =
          "docdiff is indexing the corpus; reused passages appear as it goes." +
          (sofar ? `\nThis document so far: ${sofar.headline}.` : "");
        return;
      }
      case "ready":
        if (known) {
          this.renderCounts(known, "Click for this letter's similarity report.");
        } else if (this.currentProvisional()) {
          // Checked only against part of the corpus so far; the full check follows.
          item.text = "$(sync~spin) docdiff: checking";
          item.tooltip = "docdiff: checking this document against the whole corpus…";
        } else if (!vscode.window.activeTextEditor) {
          item.text = "$(check) docdiff";
          item.tooltip = "docdiff: corpus indexed. Open a document to see its reused passages.";
        } else {
          item.text = "$(check) docdiff";
          item.tooltip = "docdiff: this document is not checked yet (or not a format docdiff reads).";
        }
        return;
    }
  }

  private renderCounts(counts: Counts, footer: string): void {
    this.item.text = `$(diff) ${statusText(counts)}`;
    const lines = [`docdiff: ${counts.headline}.`];
    lines.push("Reused passages are information; echoes, formulae and names are hints.");
    lines.push(footer);
    this.item.tooltip = lines.join("\n");
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

/** URIs from the server may percent-encode differently from VS Code's; compare them parsed. */
function normaliseUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri).toString();
  } catch {
    return uri;
  }
}
