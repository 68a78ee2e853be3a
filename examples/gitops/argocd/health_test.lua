-- lua5.1 health_test.lua: runs health.lua on sample ArtifactStores, one per health state.
local chunk = assert(loadfile("health.lua"))

local function health(o)
  local env = {obj = o, ipairs = ipairs, pairs = pairs, tostring = tostring}
  setfenv(chunk, env)
  return chunk()
end

local function store(generation, conditions)
  return {metadata = {name = "s", generation = generation}, status = conditions and {conditions = conditions} or nil}
end

local function c(type, status, reason, generation)
  return {type = type, status = status, reason = reason, message = reason .. " message", observedGeneration = generation}
end

local cases = {
  {"no status yet", store(1, nil), "Progressing"},
  {"ready at the current generation", store(2, {c("Ready", "True", "Ready", 2), c("Reconciling", "False", "Ready", 2), c("Stalled", "False", "NotStalled", 2)}), "Healthy"},
  {"ready but for an older generation", store(3, {c("Ready", "True", "Ready", 2), c("Reconciling", "False", "Ready", 2)}), "Progressing"},
  {"creating the replica", store(1, {c("Ready", "False", "CreatingReplica", 1), c("Reconciling", "True", "CreatingReplica", 1), c("Stalled", "False", "NotStalled", 1)}), "Progressing"},
  {"retrying after a failed operation", store(1, {c("Ready", "False", "ReplicaProvisioningFailed", 1), c("Reconciling", "True", "ReplicaProvisioningFailed", 1)}), "Progressing"},
  {"stalled", store(1, {c("Ready", "False", "SubnetFull", 1), c("Reconciling", "False", "Stalled", 1), c("Stalled", "True", "SubnetFull", 1)}), "Degraded"},
  {"not ready and nothing in progress", store(1, {c("Ready", "False", "AzureRejected", 1), c("Reconciling", "False", "Stalled", 1), c("Stalled", "False", "NotStalled", 1)}), "Degraded"},
}

local failed = 0
for _, case in ipairs(cases) do
  local hs = health(case[2])
  if hs.status ~= case[3] then
    failed = failed + 1
    print("FAIL " .. case[1] .. ": expected " .. case[3] .. ", got " .. tostring(hs.status) .. " (" .. tostring(hs.message) .. ")")
  else
    print("ok   " .. case[1] .. ": " .. hs.status)
  end
end
print(#cases - failed .. " passed, " .. failed .. " failed")
if failed > 0 then
  os.exit(1)
end
