-- Drives the language server from a real editor: neovim's built-in LSP client, headless.
-- Input (environment): KNR_NVIM_SERVER (the server command, JSON array), KNR_NVIM_KERNEL (tree root),
-- KNR_NVIM_CACHE (index cache), KNR_NVIM_FILE (file to open, relative to the root), KNR_NVIM_QUERIES
-- (JSON array of {method, line, character}, 0-based, or {method = 'workspace/symbol', query}; with
-- `wait_ms`, a query is asked again until its result is not empty or that time is up),
-- KNR_NVIM_TIMEOUT_MS, and optionally KNR_NVIM_WRITE (JSON array of {file, text}: files written
-- into the tree, as an editor elsewhere or git would, once the index is ready).
-- Output: one JSON line per query on stdout: {method, line, character, result, error}; exit 1 on failure.

local function env(name)
  local value = os.getenv(name)
  if value == nil or value == '' then
    io.stderr:write('neovim-lsp.lua: ' .. name .. ' is not set\n')
    vim.cmd('cquit 1')
  end
  return value
end

local server = vim.fn.json_decode(env('KNR_NVIM_SERVER'))
local kernel = env('KNR_NVIM_KERNEL')
local queries = vim.fn.json_decode(env('KNR_NVIM_QUERIES'))
local timeout = tonumber(env('KNR_NVIM_TIMEOUT_MS'))

local function fail(message)
  io.stderr:write('neovim-lsp.lua: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local index_ready = false
local client_id = vim.lsp.start_client({
  name = 'kernel-net-reader',
  cmd = server,
  root_dir = kernel,
  init_options = { kernel = { kernel }, cache = env('KNR_NVIM_CACHE') },
  handlers = {
    ['kernelNetReader/indexState'] = function(_, params)
      if params.state == 'ready' then
        index_ready = true
      elseif params.state == 'failed' or params.state == 'not-a-kernel-tree' then
        fail('index ' .. params.state .. ': ' .. tostring(params.message))
      end
    end,
  },
})
if client_id == nil then
  fail('the language server did not start')
end

vim.cmd('edit ' .. vim.fn.fnameescape(kernel .. '/' .. env('KNR_NVIM_FILE')))
local buffer = vim.api.nvim_get_current_buf()
vim.bo[buffer].filetype = 'c'
vim.lsp.buf_attach_client(buffer, client_id)

if not vim.wait(timeout, function()
  local client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized and index_ready
end, 50) then
  fail('the server did not finish indexing within ' .. timeout .. ' ms')
end

local writes = os.getenv('KNR_NVIM_WRITE')
if writes ~= nil and writes ~= '' then
  for _, write in ipairs(vim.fn.json_decode(writes)) do
    local file = io.open(kernel .. '/' .. write.file, 'w')
    if file == nil then
      fail('cannot write ' .. write.file)
    end
    file:write(write.text)
    file:close()
  end
end

local uri = vim.uri_from_bufnr(buffer)
for _, query in ipairs(queries) do
  local params = {
    textDocument = { uri = uri },
    position = { line = query.line, character = query.character },
  }
  if query.query ~= nil then
    params = { query = query.query }
  end
  local function ask()
    local responses, err = vim.lsp.buf_request_sync(buffer, query.method, params, timeout)
    return responses and responses[client_id] or {}, err
  end
  local answer, err = ask()
  if query.wait_ms ~= nil then
    local deadline = vim.loop.hrtime() / 1e6 + query.wait_ms
    while (answer.result == nil or vim.tbl_isempty(answer.result)) and vim.loop.hrtime() / 1e6 < deadline do
      vim.wait(200)
      answer, err = ask()
    end
  end
  io.stdout:write(vim.fn.json_encode({
    method = query.method,
    line = query.line,
    character = query.character,
    result = answer.result or vim.NIL,
    error = answer.err and tostring(answer.err.message) or (err and tostring(err)) or vim.NIL,
  }) .. '\n')
end

vim.lsp.stop_client(client_id)
vim.cmd('qall!')
