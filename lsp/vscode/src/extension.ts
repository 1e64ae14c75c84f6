// docdiff for VS Code: starts the docdiff language server and adds commands and a status item.
import * as path from "path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  ShowDocumentResult,
  State,
  StaticFeature,
  TransportKind,
} from "vscode-languageclient/node";
import {
  Interpreter,
  checkModule,
  describe,
  onPythonInterpreterChanged,
  pipInstallCommand,
  resolveInterpreter,
} from "./interpreter";
import { openReport, showOutcome } from "./report";
import { RestartPolicy } from "./restartPolicy";
import { SECTION, serverSettings } from "./settings";
import { DocdiffStatus, StatusParams } from "./statusBar";

const LANGUAGES = ["plaintext", "markdown", "html", "xml"];
const CORPUS_GLOB = "**/*.{txt,md,markdown,html,htm,xml,tei}";
const PROJECT_FILE_GLOB = "**/.docdiff.toml";
const IGNORED_DIRS = "**/{node_modules,.git,.docdiff,.venv}/**";

const REPORT_COMMANDS = new Set(["docdiff.showReport", "docdiff.openComparison", "docdiff.compareWith"]);

let client: LanguageClient | undefined;
let status: DocdiffStatus;
let output: vscode.OutputChannel;
const policy = new RestartPolicy();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("docdiff");
  status = new DocdiffStatus("docdiff.client.showReport", "docdiff.client.restart");
  context.subscriptions.push(output, status);
  void vscode.commands.executeCommand("setContext", "docdiff.languages", LANGUAGES);

  context.subscriptions.push(
    vscode.commands.registerCommand("docdiff.client.compareWith", compareWith),
    vscode.commands.registerCommand("docdiff.client.showReport", showReport),
    vscode.commands.registerCommand("docdiff.client.reindex", reindex),
    vscode.commands.registerCommand("docdiff.client.restart", async () => {
      policy.reset();
      await restart();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) {
        return;
      }
      if (e.affectsConfiguration(`${SECTION}.interpreter`)) {
        await restart();
      } else if (client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettings() },
        });
      }
    }),
    // The project file saved in the editor: tell the server at once (file watchers may lag
    // or be unavailable, e.g. when the system's inotify watches run out).
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (path.basename(doc.uri.fsPath) === ".docdiff.toml" && client?.isRunning()) {
        void client.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: doc.uri.toString(), type: FileChangeType.Changed }],
        });
      }
    }),
    { dispose: () => void client?.stop() },
  );
  const pythonChanged = await onPythonInterpreterChanged(() => {
    if (!vscode.workspace.getConfiguration(SECTION).get<string>("interpreter")) {
      void restart();
    }
  });
  if (pythonChanged) {
    context.subscriptions.push(pythonChanged);
  }
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Resolve and check the interpreter, then start the client; explain any failure to the user. */
async function start(): Promise<void> {
  status.setPhase("starting");
  const interpreter = await resolveInterpreter(vscode.window.activeTextEditor?.document.uri);
  output.appendLine(`docdiff: using the Python interpreter ${describe(interpreter)}`);
  const check = await checkModule(interpreter);
  if (!check.ok) {
    output.appendLine(`docdiff: cannot start the language server: ${check.detail}`);
    status.setPhase("missing", `${check.reason === "no-interpreter" ? "no interpreter" : "not installed in"} ${interpreter.command}`);
    void explainMissing(interpreter, check.reason, check.detail);
    return;
  }
  client = createClient(interpreter);
  client.onDidChangeState((e) => {
    if (e.newState === State.Stopped) {
      status.setPhase("stopped", 'See the "docdiff" output.');
    } else if (e.newState === State.Running) {
      status.setPhase("ready");
    }
  });
  // Registered before start, so the first indexing progress is not missed.
  client.onNotification("docdiff/status", (params: StatusParams) => status.update(params));
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`docdiff: the language server failed to start: ${String(err)}`);
    status.setPhase("stopped", String(err));
  }
}

async function restart(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop();
    } catch (err) {
      output.appendLine(`docdiff: stopping the old server: ${String(err)}`);
    }
  }
  await start();
}

function createClient(interpreter: Interpreter): LanguageClient {
  const serverOptions: ServerOptions = {
    command: interpreter.command,
    args: [...interpreter.args, "-m", "docdiff_lsp"],
    transport: TransportKind.stdio,
    options: { env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions: serverSettings(),
    outputChannel: output,
    errorHandler: policy,
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher(CORPUS_GLOB),
        // The project file: ignores and kinds edited by hand (or by a teammate's pull).
        vscode.workspace.createFileSystemWatcher(PROJECT_FILE_GLOB),
      ],
    },
    middleware: {
      // Code lenses and code actions run server commands through vscode-languageclient;
      // show the report those commands return, as our own commands do.
      executeCommand: async (command, args, next) => {
        const result: unknown = await next(command, args);
        if (REPORT_COMMANDS.has(command)) {
          void showOutcome(result, reportLabel(result));
        }
        return result;
      },
      window: {
        // A report the server asks to show opens in the report view, not as HTML source.
        showDocument: async (params, next): Promise<ShowDocumentResult> => {
          const uri = vscode.Uri.parse(params.uri);
          if (uri.scheme === "file" && /\.html?$/i.test(uri.fsPath)) {
            openReport(uri.fsPath, `docdiff: ${path.basename(uri.fsPath, path.extname(uri.fsPath))}`);
            return { success: true };
          }
          const result = await next(params, new vscode.CancellationTokenSource().token);
          return result instanceof ResponseError ? { success: false } : result;
        },
      },
      workspace: {
        // Answer the "docdiff" section with the same shape as initializationOptions.
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) {
            return answer;
          }
          return params.items.map((item, i) =>
            item.section === SECTION
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answer[i],
          );
        },
      },
    },
  };
  const created = new LanguageClient(SECTION, "docdiff", serverOptions, clientOptions);
  created.registerFeature(ONE_STATUS_ITEM);
  return created;
}

/** Our status item shows indexing progress itself; without this, VS Code would show the
 * server's work-done progress as a second status-bar item (with a long file name cut off). */
const ONE_STATUS_ITEM: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.window = { ...(capabilities.window ?? {}), workDoneProgress: false };
  },
  initialize() {},
  getState: () => ({ kind: "static" }),
  clear() {},
};

/** Tell the user exactly how to install docdiff into the interpreter we tried. */
async function explainMissing(interpreter: Interpreter, reason: string, detail: string): Promise<void> {
  const install = pipInstallCommand(interpreter);
  const copy = "Copy Command";
  const terminal = "Install";
  const settings = "Settings";
  let message: string;
  let actions: string[];
  const where = {
    setting: "the Python from the docdiff.interpreter setting",
    "python-extension": "the Python selected in the Python extension",
    default: "python3",
  }[interpreter.source];
  if (reason === "no-interpreter") {
    message =
      `docdiff: the Python interpreter "${interpreter.command}" was not found. ` +
      `Set docdiff.interpreter to a Python where docdiff is installed (${install}).`;
    actions = [settings];
  } else if (reason === "no-module") {
    message = `docdiff is not installed in ${where}. Install it with: ${install}`;
    actions = [copy, terminal, settings];
  } else {
    message = `docdiff: the language server cannot be imported in ${interpreter.command}: ${lastLine(detail)}`;
    actions = [copy, settings];
  }
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice === copy) {
    await vscode.env.clipboard.writeText(install);
    void vscode.window.showInformationMessage(`Copied: ${install}`);
  } else if (choice === terminal) {
    const term = vscode.window.createTerminal("docdiff: install");
    term.show();
    term.sendText(install);
    const restartNow = await vscode.window.showInformationMessage(
      "docdiff: when pip has finished, start the language server.",
      "Start Server",
    );
    if (restartNow) {
      await restart();
    }
  } else if (choice === settings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.interpreter`);
  }
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  return lines[lines.length - 1] ?? text;
}

/** Run a server command (workspace/executeCommand); undefined when the server is not running. */
async function serverCommand(command: string, args: unknown[]): Promise<unknown> {
  if (!client?.isRunning()) {
    const choice = await vscode.window.showErrorMessage(
      "docdiff: the language server is not running.",
      "Restart Server",
      "Show Output",
    );
    if (choice === "Restart Server") {
      await vscode.commands.executeCommand("docdiff.client.restart");
    } else if (choice === "Show Output") {
      output.show();
    }
    return undefined;
  }
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  } catch (err) {
    // The server answers bad requests with an error whose message is meant for people.
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`docdiff: ${readableError(message)}`);
    return undefined;
  }
}

/** A title for a report returned by a server command run from a code lens or code action. */
function reportLabel(result: unknown): string {
  const report = (result as { report?: unknown } | null)?.report;
  if (typeof report !== "string") {
    return "report";
  }
  const stem = path.basename(report, path.extname(report));
  // The letter report ("<letter>--letter.html") is titled by the letter, as Show Similarity
  // Report titles it; pair reports are "<a>--<b>.html".
  if (stem.endsWith("--letter")) {
    const title = (result as { title?: unknown }).title;
    return typeof title === "string" ? title : stem.slice(0, -"--letter".length);
  }
  return stem.replace(/--/g, " ↔ ");
}

/** A server error as a person reads it: no Python class name, paths relative to the workspace. */
export function readableError(message: string): string {
  let out = message.replace(/^docdiff:\s*/, "").replace(/^(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception):\s*/, "");
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    out = out.split(folder.uri.fsPath + path.sep).join("");
  }
  return out;
}

function activeDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showWarningMessage("docdiff: open a document first.");
  }
  return doc;
}

/** Let the user pick a corpus document (workspace files, or any file through a dialog). */
async function pickDocument(exclude: vscode.Uri): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(CORPUS_GLOB, IGNORED_DIRS, 5000);
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = files
    .filter((f) => f.toString() !== exclude.toString())
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
    .map((uri) => ({
      label: path.basename(uri.fsPath),
      description: path.dirname(vscode.workspace.asRelativePath(uri)).replace(/^\.$/, ""),
      uri,
    }));
  items.push({ label: "$(folder-opened) Browse…", description: "choose a file outside the workspace" });
  const picked = await vscode.window.showQuickPick(items, {
    title: `docdiff: compare ${path.basename(exclude.fsPath)} with…`,
    placeHolder: "Type to find a document",
    matchOnDescription: true,
  });
  if (!picked) {
    return undefined;
  }
  if (picked.uri) {
    return picked.uri;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: "Compare",
    filters: { Documents: ["txt", "md", "html", "htm", "xml", "docx", "odt", "pdf"], "All files": ["*"] },
  });
  return chosen?.[0];
}

async function compareWith(target?: vscode.Uri): Promise<void> {
  const doc = activeDocument();
  if (!doc) {
    return;
  }
  const other = target instanceof vscode.Uri && target.toString() !== doc.uri.toString() ? target : await pickDocument(doc.uri);
  if (!other) {
    return;
  }
  const label = `${path.basename(doc.uri.fsPath)} ↔ ${path.basename(other.fsPath)}`;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `docdiff: comparing ${label}…` },
    () => serverCommand("docdiff.compareWith", [other.toString(), doc.uri.toString()]),
  );
  await showOutcome(result, label);
}

async function showReport(): Promise<void> {
  const doc = activeDocument();
  if (!doc) {
    return;
  }
  const result = await serverCommand("docdiff.showReport", [doc.uri.toString()]);
  // A report about this letter (its sources ranked), titled by the letter's name.
  await showOutcome(result, path.basename(doc.uri.fsPath));
}

async function reindex(): Promise<void> {
  const result = await serverCommand("docdiff.reindex", []);
  if (result !== undefined) {
    void vscode.window.setStatusBarMessage("docdiff: reindexing the corpus…", 5000);
  }
}
