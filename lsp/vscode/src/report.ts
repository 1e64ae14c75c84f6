// Show what the server's docdiff.compareWith / docdiff.showReport commands return.
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { percent } from "./statusBar";

/** What we understand of a command result: a report file and, when given, summary figures. */
export interface CommandOutcome {
  report?: string;
  title?: string;
  similarity?: number;
  distinctive?: number;
  passages?: number;
  headline?: string;
}

function asNumber(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function toPath(v: unknown): string | undefined {
  if (typeof v !== "string" || !v) {
    return undefined;
  }
  return v.startsWith("file:") ? vscode.Uri.parse(v).fsPath : v;
}

/** Read a command result: a path, a file URI, or an object naming the report and its figures. */
export function readOutcome(result: unknown): CommandOutcome {
  if (typeof result === "string") {
    return { report: toPath(result) };
  }
  if (!result || typeof result !== "object") {
    return {};
  }
  const r = result as Record<string, unknown>;
  const summary = (r["summary"] && typeof r["summary"] === "object" ? r["summary"] : r) as Record<string, unknown>;
  const matches = r["matches"];
  return {
    report: toPath(r["report"] ?? r["path"] ?? r["uri"] ?? r["html"]),
    title: typeof r["title"] === "string" ? r["title"] : undefined,
    similarity: asNumber(summary["similarity"]),
    distinctive: asNumber(summary["distinctive_similarity"] ?? summary["distinctive"]),
    passages: asNumber(r["passages"]) ?? (Array.isArray(matches) ? matches.length : asNumber(matches)),
    headline: typeof r["headline"] === "string" ? r["headline"] : undefined,
  };
}

/** One line that sums the outcome up, for a notification. */
export function summaryLine(outcome: CommandOutcome, label: string): string {
  if (outcome.headline) {
    // The server's headline: the same figures as the status bar and the code lens.
    return `docdiff: ${label}: ${outcome.headline}`;
  }
  const parts: string[] = [];
  if (outcome.similarity !== undefined) {
    parts.push(`similarity ${percent(outcome.similarity)}`);
  }
  if (outcome.distinctive !== undefined) {
    parts.push(`distinctive ${percent(outcome.distinctive)}`);
  }
  if (outcome.passages !== undefined) {
    parts.push(`${outcome.passages} reused ${outcome.passages === 1 ? "passage" : "passages"}`);
  }
  return `docdiff: ${label}${parts.length ? ": " + parts.join(", ") : ""}`;
}

let panel: vscode.WebviewPanel | undefined;

/** Open an HTML report in a webview beside the editor (the report is a self-contained page). */
export function openReport(file: string, title: string): void {
  let html: string;
  try {
    html = fs.readFileSync(file, "utf8");
  } catch (err) {
    void vscode.window.showErrorMessage(`docdiff: cannot read the report ${file}: ${String(err)}`);
    return;
  }
  if (!panel) {
    panel = vscode.window.createWebviewPanel(
      "docdiff.report",
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [vscode.Uri.file(path.dirname(file))], enableFindWidget: true },
    );
    panel.onDidDispose(() => (panel = undefined));
    // The letter report links to one pair report per source; open those here too.
    panel.webview.onDidReceiveMessage((message: { openReport?: unknown }) => {
      const target = message?.openReport;
      if (typeof target === "string" && /\.html?$/i.test(target)) {
        openReport(target, `docdiff: ${path.basename(target, path.extname(target)).replace(/--/g, " ↔ ")}`);
      }
    });
  } else {
    panel.reveal(vscode.ViewColumn.Beside, true);
  }
  panel.title = title;
  panel.webview.html = html;
}

/** Show a command's outcome: the report in a webview plus a one-line summary. */
export async function showOutcome(result: unknown, label: string): Promise<void> {
  const outcome = readOutcome(result);
  if (!outcome.report && outcome.similarity === undefined && outcome.passages === undefined) {
    return; // The server showed the result itself (window/showDocument) or had nothing to show.
  }
  if (outcome.report) {
    openReport(outcome.report, `docdiff: ${label}`);
  }
  // A browser cannot open a file:// path of the machine running a remote or web VS Code.
  const local = vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName;
  const actions = outcome.report ? [...(local ? ["Open in Browser"] : []), "Open HTML File"] : [];
  const choice = await vscode.window.showInformationMessage(summaryLine(outcome, label), ...actions);
  if (choice === "Open in Browser" && outcome.report) {
    await vscode.env.openExternal(vscode.Uri.file(outcome.report));
  } else if (choice === "Open HTML File" && outcome.report) {
    await vscode.window.showTextDocument(vscode.Uri.file(outcome.report), { preview: true });
  }
}
