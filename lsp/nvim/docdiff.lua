-- docdiff language server for Neovim 0.7 and later (no plugin needed).
--
-- Put this file on your 'runtimepath' as lua/docdiff.lua (or add lsp/nvim to package.path),
-- then in init.lua:
--
--   require("docdiff").setup({
--     cmd = { "docdiff", "serve" },                -- or { "python", "-m", "docdiff_lsp" }
--     settings = { minWords = 4, corpus = { paths = { "~/letters" } } },
--   })
--
-- Settings go as initializationOptions (Neovim 0.7 does not answer workspace/configuration)
-- and are pushed again with workspace/didChangeConfiguration after start.
--
-- In each attached buffer (buffer-local, set in on_attach): K hover, gd definition (the best
-- source), gr references (every copy), <leader>ca code action (the quick fixes). Pass
-- `keys = false` to keep your own mappings, or a table to change them. Before Neovim 0.10 the
-- hover window does not render Markdown, so the server is asked for plain text there.
local M = {}

M.defaults = {
  cmd = { "docdiff", "serve" },
  filetypes = { "text", "markdown", "html", "xml" },
  root_markers = { ".docdiff.toml", ".docdiff", ".git" },
  settings = {},
  keys = {
    hover = "K",
    definition = "gd",
    references = "gr",
    code_action = "<leader>ca",
  },
  -- nil: plain text before Neovim 0.10 (its hover shows **bold** and ~~strike~~ literally).
  plaintext_hover = nil,
  on_attach = nil, -- your own function(client, bufnr), called after ours
}

--- Map the docdiff keys in one buffer (buffer-local, so other buffers keep theirs).
function M.map_keys(bufnr, keys)
  if keys == false or keys == nil then
    return
  end
  local actions = {
    hover = vim.lsp.buf.hover,
    definition = vim.lsp.buf.definition,
    references = function()
      vim.lsp.buf.references()
    end,
    code_action = vim.lsp.buf.code_action,
  }
  for name, lhs in pairs(keys) do
    if lhs and actions[name] then
      vim.api.nvim_buf_set_keymap(bufnr, "n", lhs, "", {
        noremap = true,
        silent = true,
        callback = actions[name],
        desc = "docdiff: " .. name,
      })
    end
  end
end

local function capabilities(opts)
  local caps = vim.lsp.protocol.make_client_capabilities()
  local plain = opts.plaintext_hover
  if plain == nil then
    plain = vim.fn.has("nvim-0.10") == 0
  end
  if plain then
    caps.textDocument.hover = caps.textDocument.hover or {}
    caps.textDocument.hover.contentFormat = { "plaintext" }
  end
  return caps
end

local clients = {} -- root_dir -> client id

local function root_for(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(name, ":p:h")
  for _, marker in ipairs(markers) do
    local found = vim.fn.finddir(marker, dir .. ";")
    if found == "" then
      found = vim.fn.findfile(marker, dir .. ";")
    end
    if found ~= "" then
      return vim.fn.fnamemodify(found, ":p:h:h")
    end
  end
  return dir
end

--- Start (or reuse) the server for the buffer's root folder and attach the buffer.
function M.attach(bufnr, opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local root = root_for(bufnr, opts.root_markers)
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "docdiff",
      cmd = opts.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      init_options = opts.settings,
      settings = { docdiff = opts.settings },
      capabilities = capabilities(opts),
      on_init = function(client)
        client.notify("workspace/didChangeConfiguration", { settings = { docdiff = opts.settings } })
      end,
      on_attach = function(client, buf)
        M.map_keys(buf, opts.keys)
        if opts.on_attach then
          opts.on_attach(client, buf)
        end
      end,
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Attach docdiff to every buffer of the configured file types.
function M.setup(opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup("docdiff_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
end

return M
