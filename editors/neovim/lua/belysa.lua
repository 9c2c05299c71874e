-- belysa for Neovim's built-in LSP client (Neovim 0.7 or newer).
--
--   require("belysa").setup({
--     cmd = { "belysa", "lsp" },                 -- path to the binary
--     init_options = { packs = {}, kind = "auto" },
--   })
local M = {}

local filetypes = { "markdown", "text", "belysa" }

function M.setup(opts)
  opts = opts or {}
  local config = {
    name = "belysa",
    cmd = opts.cmd or { "belysa", "lsp" },
    init_options = opts.init_options or { packs = {}, kind = "auto" },
  }
  -- Rule files get their own filetype.
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { belysa = "belysa" } })
  end

  local function root_for(bufnr)
    local name = vim.api.nvim_buf_get_name(bufnr)
    local dir = vim.fn.fnamemodify(name, ":p:h")
    local found = vim.fn.findfile("belysa.toml", dir .. ";")
    if found ~= "" then
      return vim.fn.fnamemodify(found, ":p:h")
    end
    return dir
  end

  local client_ids = {}
  local function attach(args)
    local bufnr = args.buf or vim.api.nvim_get_current_buf()
    local root = root_for(bufnr)
    if vim.lsp.start then
      -- Neovim 0.8+: reuses a running client with the same name and root.
      vim.lsp.start(vim.tbl_extend("force", config, { root_dir = root }), { bufnr = bufnr })
      return
    end
    local id = client_ids[root]
    if not id or not vim.lsp.get_client_by_id(id) then
      id = vim.lsp.start_client(vim.tbl_extend("force", config, {
        root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      }))
      client_ids[root] = id
    end
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end

  local group = vim.api.nvim_create_augroup("belysa", { clear = true })
  vim.api.nvim_create_autocmd("FileType", { group = group, pattern = filetypes, callback = attach })
end

-- For nvim-lspconfig: require("belysa").register_lspconfig() then require("lspconfig").belysa.setup({}).
function M.register_lspconfig()
  local configs = require("lspconfig.configs")
  local util = require("lspconfig.util")
  if not configs.belysa then
    configs.belysa = {
      default_config = {
        cmd = { "belysa", "lsp" },
        filetypes = filetypes,
        root_dir = util.root_pattern("belysa.toml", ".git"),
        single_file_support = true,
        init_options = { packs = {}, kind = "auto" },
      },
    }
  end
end

return M
