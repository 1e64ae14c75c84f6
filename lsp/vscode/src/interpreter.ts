// Which Python runs the language server, and whether docdiff is installed in it.
import { execFile } from "child_process";
import * as os from "os";
import * as vscode from "vscode";

export type InterpreterSource = "setting" | "python-extension" | "default";

export interface Interpreter {
  /** Executable to run (a path or a name looked up on PATH). */
  command: string;
  /** Arguments that come before `-m docdiff_lsp` (e.g. for `conda run`). */
  args: string[];
  source: InterpreterSource;
}

export type ModuleCheck =
  | { ok: true }
  | { ok: false; reason: "no-interpreter" | "no-module" | "broken"; detail: string };

/** The subset of the Python extension's API that we use; every member is optional. */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { id: string; path: string } | undefined;
    resolveEnvironment?(
      env: { id: string; path: string } | string,
    ): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

const PYTHON_EXTENSION = "ms-python.python";

/** Expand `~` and `${workspaceFolder}` the way users expect in a path setting. */
export function expandPath(value: string, resource?: vscode.Uri): string {
  let out = value.trim();
  if (out === "~" || out.startsWith("~/")) {
    out = os.homedir() + out.slice(1);
  }
  const folder =
    (resource && vscode.workspace.getWorkspaceFolder(resource)) ?? vscode.workspace.workspaceFolders?.[0];
  if (folder) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  }
  return out;
}

async function pythonExtensionApi(): Promise<PythonExtensionApi | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION);
  if (!ext) {
    return undefined;
  }
  try {
    return ext.isActive ? ext.exports : await ext.activate();
  } catch {
    return undefined;
  }
}

/** The interpreter selected in the Python extension, if that extension is installed. */
async function fromPythonExtension(resource?: vscode.Uri): Promise<Interpreter | undefined> {
  const api = await pythonExtensionApi();
  if (!api) {
    return undefined;
  }
  try {
    const envs = api.environments;
    const active = envs?.getActiveEnvironmentPath?.(resource);
    if (active && envs?.resolveEnvironment) {
      const resolved = await envs.resolveEnvironment(active);
      const exe = resolved?.executable?.uri?.fsPath;
      if (exe) {
        return { command: exe, args: [], source: "python-extension" };
      }
    }
    const exec = api.settings?.getExecutionDetails?.(resource)?.execCommand;
    if (exec && exec.length > 0 && exec[0]) {
      return { command: exec[0], args: exec.slice(1), source: "python-extension" };
    }
  } catch {
    // An older or broken Python extension: fall back to python3.
  }
  return undefined;
}

/** Resolve the interpreter: the docdiff.interpreter setting, then the Python extension, then python3. */
export async function resolveInterpreter(resource?: vscode.Uri): Promise<Interpreter> {
  const configured = vscode.workspace.getConfiguration("docdiff", resource).get<string>("interpreter", "");
  if (configured.trim()) {
    return { command: expandPath(configured, resource), args: [], source: "setting" };
  }
  return (await fromPythonExtension(resource)) ?? { command: "python3", args: [], source: "default" };
}

/** Subscribe to the Python extension's "interpreter changed" events, when it offers them. */
export async function onPythonInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await pythonExtensionApi();
  const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
  return event ? event(() => listener()) : undefined;
}

/** Check that `import docdiff_lsp` works in the interpreter, without starting the server. */
export function checkModule(interpreter: Interpreter, timeoutMs = 30000): Promise<ModuleCheck> {
  return new Promise((resolve) => {
    execFile(
      interpreter.command,
      [...interpreter.args, "-c", "import docdiff_lsp"],
      { timeout: timeoutMs, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) {
          resolve({ ok: true });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EACCES") {
          resolve({ ok: false, reason: "no-interpreter", detail: error.message });
        } else if (/ModuleNotFoundError: No module named '(docdiff_lsp|docdiff)'/.test(stderr)) {
          resolve({ ok: false, reason: "no-module", detail: stderr.trim() });
        } else {
          resolve({ ok: false, reason: "broken", detail: (stderr || error.message).trim() });
        }
      },
    );
  });
}

/** Quote one shell word only when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that installs docdiff into this interpreter. */
export function pipInstallCommand(interpreter: Interpreter): string {
  return [interpreter.command, ...interpreter.args, "-m", "pip", "install", "docdiff"].map(shellWord).join(" ");
}

/** How the interpreter is named to the user. */
export function describe(interpreter: Interpreter): string {
  const where = {
    setting: "from the docdiff.interpreter setting",
    "python-extension": "selected in the Python extension",
    default: "the default",
  }[interpreter.source];
  return `${[interpreter.command, ...interpreter.args].join(" ")} (${where})`;
}
