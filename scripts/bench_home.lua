-- wrk script of scripts/bench-home.sh (issue 17) and scripts/bench-supervision.sh (issue 18): one page (GET /home by
-- default) with many signed-in users at once.
--
--   wrk -t2 -c100 -d30s --latency --timeout 10s -s scripts/bench_home.lua URL \
--       -- COOKIES_FILE [PATH [THREADS [MARKERS]]]
--
-- COOKIES_FILE has one signed-in user a line: kind <TAB> username <TAB> fz_session value (bench_home.py signin).
-- wrk's Lua API has no handle on the connection, so the users are shared out between wrk's threads and each
-- thread hands its users out in turn, one per request: with as many users as connections, the requests in flight
-- at any moment are those of different people, each with their own session.
--
-- Every answer is checked: it must be 200 and the page asked for, not a redirect to /login or an error page: it must
-- contain each of MARKERS (separated by "|"; by default the signed-in 工作台's role line and logout form). done() prints one RESULT line the shell script reads: the latency
-- percentiles come from wrk's own histogram (microseconds, printed here in milliseconds).

local threads = {}
local counter = 0

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local file, path = args[1], args[2] or "/home"
    markers = {}
    local spec = args[4]
    if spec == nil or spec == "" then spec = 'action="/logout"|<p class="lead">' end
    for m in string.gmatch(spec, "[^|]+") do table.insert(markers, m) end
    local all = {}
    for line in io.lines(file) do
        local kind, user, cookie = line:match("^(%S+)\t(%S+)\t(%S+)$")
        if cookie then table.insert(all, cookie) end
    end
    if #all == 0 then error("no cookies in " .. file) end
    local total = tonumber(args[3]) or 1
    reqs = {}
    for i, cookie in ipairs(all) do
        if (i - 1) % total == id then
            table.insert(reqs, wrk.format("GET", path, { ["Cookie"] = "fz_session=" .. cookie }))
        end
    end
    if #reqs == 0 then -- more threads than users: every thread takes them all
        for _, cookie in ipairs(all) do
            table.insert(reqs, wrk.format("GET", path, { ["Cookie"] = "fz_session=" .. cookie }))
        end
    end
    users = #reqs
    nextIndex = 0
    responses, non200, notPage, firstBad = 0, 0, 0, ""
end

function request()
    nextIndex = nextIndex % #reqs + 1
    return reqs[nextIndex]
end

function response(status, headers, body)
    responses = responses + 1
    if status ~= 200 then
        non200 = non200 + 1
        if firstBad == "" then firstBad = tostring(status) .. " " .. (headers["Location"] or headers["location"] or "") end
    else
        for _, m in ipairs(markers) do
            if not body:find(m, 1, true) then
                notPage = notPage + 1
                if firstBad == "" then
                    firstBad = "200 but not the page (no " .. m .. "): " .. body:sub(1, 120):gsub("%s+", " ")
                end
                break
            end
        end
    end
end

function done(summary, latency, requests)
    local total, bad200, badPage, users, first = 0, 0, 0, 0, ""
    for _, t in ipairs(threads) do
        total = total + t:get("responses")
        bad200 = bad200 + t:get("non200")
        badPage = badPage + t:get("notPage")
        users = users + t:get("users")
        if first == "" then first = t:get("firstBad") end
    end
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d seconds=%.2f rps=%.1f mean=%.2f p50=%.2f p90=%.2f p95=%.2f p99=%.2f max=%.2f "
            .. "checked=%d non200=%d not_page=%d connect=%d read=%d write=%d status=%d timeout=%d users=%d\n",
        summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000, total, bad200, badPage,
        e.connect, e.read, e.write, e.status, e.timeout, users))
    if first ~= "" then io.write("FIRSTBAD " .. first .. "\n") end
end
