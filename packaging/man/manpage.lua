-- A pandoc filter that turns one page of docs/ into a man page (scripts/build-man.sh runs it).
--
-- The Markdown stays the one source: readable on the web, and the same text in man(1).
--   * "# PPP(8) — UserPpp" (the title) goes: the man page's .TH comes from -M title/section.
--   * A NAME section is made from -M name and -M description, as whatis(1) wants.
--   * "## X" becomes .SH X (capitals, as man pages have them), "### X" becomes .SS X.
--   * What stands between the title and the first "##" moves to the top of DESCRIPTION.
--   * <!-- man: include FILE --> puts FILE's body there, its title dropped and its "##" one
--     level down (.SS), so ppp(8) can hold docs/commands.md as its COMMANDS section.
--   * A table too wide for an 80-column terminal (its longest words alone) becomes a list.
--   * <!-- man: skip --> ... <!-- man: /skip --> (or to the end) is left out of the man page:
--     pointers that only make sense on the web ("see commands.md").
--   * Links: to a page that is a man page, its name ("ppp.conf(5)"); inside the same page,
--     the text alone; to another doc, the text and the doc's name; to the source tree (../),
--     the text alone; web addresses as pandoc writes them.

local MAN_PAGES = {
  ["ppp.8.md"] = "ppp(8)",
  ["commands.md"] = "ppp(8)",
  ["status-json.md"] = "ppp(8)",
  ["pppctl.md"] = "pppctl(8)",
  ["ppp.conf.5.md"] = "ppp.conf(5)",
  ["modemsim.md"] = "ppp-modemsim(1)",
}

local stringify = pandoc.utils.stringify
local docdir, this_page

local function marker(block)
  if block.t ~= "RawBlock" or block.format ~= "html" then
    return nil
  end
  return block.text:match("^<!%-%-%s*man:%s*(.-)%s*%-%->%s*$")
end

local function read_doc(name)
  local path = docdir .. "/" .. name
  local file = io.open(path, "r")
  if not file then
    error("man: include: cannot read " .. path)
  end
  local text = file:read("a")
  file:close()
  return pandoc.read(text, "markdown").blocks
end

-- Drops skipped regions and expands includes; `shift` is added to every heading level.
local function expand(blocks, shift, depth)
  if depth > 4 then
    error("man: include: nested too deep")
  end
  local out = pandoc.List()
  local skipping = false
  for _, block in ipairs(blocks) do
    local m = marker(block)
    if m == "skip" then
      skipping = true
    elseif m == "/skip" then
      skipping = false
    elseif skipping then
      -- left out of the man page
    elseif m and m:match("^include ") then
      local included = expand(read_doc(m:match("^include%s+(%S+)")), shift + 1, depth + 1)
      for _, b in ipairs(included) do
        -- The included page's own title is this page's section heading already.
        if not (b.t == "Header" and b.level == 1 + shift + 1) then
          out:insert(b)
        end
      end
    elseif m then
      error("man: unknown marker <!-- man: " .. m .. " -->")
    elseif block.t == "RawBlock" and block.format == "html" then
      -- Any other HTML is left out; a marker that text swallowed (no blank line around it)
      -- would be left out silently, so it is an error.
      if block.text:match("man:") then
        error("man: a marker must stand alone between blank lines: " .. block.text)
      end
    else
      if block.t == "Header" then
        block.level = block.level + shift
      end
      out:insert(block)
    end
  end
  return out
end

local function link(el)
  local target = el.target
  if target:match("^%a[%w+.-]*:") then
    return nil
  end
  local file = target:match("^([^#]*)")
  if file == "" then
    return el.content
  end
  local text = stringify(el.content)
  local out = pandoc.List(el.content)
  if file:match("^%.%./") or not file:match("%.md$") then
    return out
  end
  local base = file:match("([^/]+)$")
  local page = MAN_PAGES[base]
  if page == this_page then
    -- Inside the same page: the text, or the page's name for a bare file name.
    return text == base and pandoc.List({ pandoc.Str(page) }) or out
  end
  -- Other docs by their name: the package installs them in /usr/share/doc/userppp (SEE ALSO
  -- says so), and a whole path is too long a word for a table cell.
  local where = page or base
  if text == base or text == where then
    return pandoc.List({ pandoc.Str(where) })
  end
  out:insert(pandoc.Space())
  out:insert(pandoc.Str("(" .. where .. ")"))
  return out
end

-- pandoc sizes a pipe table's columns from its "| --- |" line, so every column gets the same
-- width. A man page reads better when short columns (an option, a type) are as wide as their
-- longest cell (up to 30 characters), the widest column takes the rest of the line, and no
-- column is narrower than its longest word (groff cannot break a word).
-- pandoc's man writer turns a column's width fraction into that share of 70 ens. On an
-- 80-column terminal man(1) has 78 ens a line, 7 of them indent, and tbl puts 3 between
-- columns: a table of n columns has 71 - 3 (n - 1) ens for its cells.
local ENS = 70

-- In a table cell a long name (`ipv6cpretry|ipv6cpretries`, `ppp_transmit_bytes_total`) may
-- break after |, _ or /: groff's \: is a break point that prints nothing.
local function breakable(el)
  -- pandoc 2.17 keeps the backslash of a pipe table's \| inside code; the web does not show it.
  el.text = el.text:gsub("\\|", "|")
  if #el.text <= 12 then
    return el
  end
  local out = pandoc.List()
  for chunk in el.text:gmatch("[^|_/]*[|_/]?") do
    if chunk ~= "" then
      if #out > 0 then
        out:insert(pandoc.RawInline("man", "\\:"))
      end
      out:insert(pandoc.Code(chunk))
    end
  end
  return out
end

local function inlines(blocks)
  return pandoc.utils.blocks_to_inlines(blocks)
end

local function as_list(tbl)
  local heads = tbl.head.rows[1] and tbl.head.rows[1].cells or {}
  local items = pandoc.List()
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local definition = pandoc.List()
      for i = 2, #row.cells do
        local line = pandoc.List()
        if heads[i] then
          line:extend(inlines(heads[i].contents))
          line:insert(pandoc.Str(":"))
          line:insert(pandoc.Space())
        end
        line:extend(inlines(row.cells[i].contents))
        -- One paragraph per column: plain blocks would run together.
        definition:insert(pandoc.Para(line))
      end
      items:insert({ inlines(row.cells[1].contents), { definition } })
    end
  end
  return pandoc.DefinitionList(items)
end

local function table_widths(tbl)
  tbl = pandoc.walk_block(tbl, { Code = breakable })
  local n = #tbl.colspecs
  local LINE = 71 - 3 * (n - 1)
  local lens, words = {}, {}
  for i = 1, n do
    lens[i], words[i] = 1, 1
  end
  local function measure(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        local text = stringify(cell.contents)
        lens[i] = math.max(lens[i], utf8.len(text) or #text)
        for word in text:gmatch("[^%s|_/]+[|_/]?") do
          words[i] = math.max(words[i], utf8.len(word) or #word)
        end
      end
    end
  end
  measure(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    measure(body.body)
  end
  local widest = 1
  for i = 2, n do
    if lens[i] > lens[widest] then
      widest = i
    end
  end
  -- A table whose longest words alone are wider than the line cannot be set: as a list,
  -- each row under its first cell, each other cell after its column's heading.
  local least_total = 0
  for i = 1, n do
    least_total = least_total + words[i] + 2
  end
  if least_total > LINE then
    return as_list(tbl)
  end
  -- Each column at least its longest word; the others at most `cap`, fewer as columns add up.
  local cap = ({ 30, 30, 20, 16 })[math.min(n, 4)]
  local widths, fixed, slack = {}, 0, 0
  for i = 1, n do
    local least = words[i] + 2
    widths[i] = (i == widest) and least or math.max(math.min(lens[i], cap) + 2, least)
    if i ~= widest then
      fixed = fixed + widths[i]
      slack = slack + (widths[i] - least)
    end
  end
  -- The widest column wants 30 at least: take it from the others' room above their words.
  local want = math.max(math.min(30, LINE // 2), widths[widest])
  local over = fixed + want - LINE
  if over > 0 and slack > 0 then
    local take = math.min(over, slack)
    for i = 1, n do
      if i ~= widest then
        local room = widths[i] - (words[i] + 2)
        local cut = math.floor(take * room / slack + 0.5)
        widths[i] = widths[i] - cut
        fixed = fixed - cut
      end
    end
  end
  widths[widest] = math.max(LINE - fixed, widths[widest])
  local total = fixed + widths[widest]
  for i = 1, n do
    tbl.colspecs[i] = { tbl.colspecs[i][1], widths[i] * LINE / math.max(total, LINE) / ENS }
  end
  return tbl
end

local function upper(el)
  if el.t == "Str" then
    el.text = pandoc.text.upper(el.text)
  end
  return el
end

function Pandoc(doc)
  docdir = stringify(doc.meta.docdir)
  this_page = stringify(doc.meta.title):lower() .. "(" .. stringify(doc.meta.section) .. ")"

  local blocks = expand(doc.blocks, 0, 0)
  if #blocks == 0 or blocks[1].t ~= "Header" or blocks[1].level ~= 1 then
    error("man: the page must start with its title (# NAME(SECTION) — UserPpp)")
  end
  blocks:remove(1)

  local intro = pandoc.List()
  while #blocks > 0 and not (blocks[1].t == "Header" and blocks[1].level == 2) do
    intro:insert(blocks:remove(1))
  end

  local out = pandoc.List({
    pandoc.Header(1, { pandoc.Str("NAME") }),
    pandoc.Para({ pandoc.Str(stringify(doc.meta.name)), pandoc.Space(), pandoc.RawInline("man", "\\-"), pandoc.Space(),
                  pandoc.Str(stringify(doc.meta.description)) }),
  })
  local description = false
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      if block.level == 1 then
        error("man: a second title: " .. stringify(block))
      end
      block.level = block.level - 1
      if block.level == 1 then
        block = pandoc.walk_block(block, { Inline = upper })
      end
    end
    out:insert(block)
    if block.t == "Header" and block.level == 1 and stringify(block) == "DESCRIPTION" then
      description = true
      out:extend(intro)
    end
  end
  if not description then
    error("man: the page has no DESCRIPTION section for its introduction")
  end

  doc.blocks = out
  return doc:walk({ Link = link, Table = table_widths, RawInline = function(el)
    if el.format == "html" then
      return {}
    end
  end })
end
