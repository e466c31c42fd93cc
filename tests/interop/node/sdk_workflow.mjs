// The reference workflow (MongoDB -> Salesforce) through the official TypeScript MCP SDK.
//
//   node sdk_workflow.mjs stdio <command> [args...]
//   node sdk_workflow.mjs http <url>
//
// tests/interop copies this file next to the node_modules it installs (a cache folder) and runs it
// from there, so the imports below resolve to the pinned SDK. It lists the tools first, so that
// Client.callTool validates every structuredContent against the tool's outputSchema (the SDK throws
// when a result does not match), then calls the workflow's tools in order. It prints one JSON summary
// on stdout and exits 0, or prints {"ok": false, ...} and exits 1 on the first failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const REQUEST_TIMEOUT_MS = 20_000;
const OVERALL_TIMEOUT_MS = Number(process.env.INTEROP_OVERALL_TIMEOUT_MS || 90_000);

const MONGO = {
  name: "MongoDB Connection",
  type: "mongodb",
  configuration: { hosts: "example.mongodb.net", username: "user", password: "secret" },
};
// connect_mode "api": the sandbox authorizes these credentials at once (no browser step, which an
// external client cannot do: the sandbox's auth_url is not served over the network).
const SALESFORCE = {
  name: "Salesforce Connection",
  type: "salesforce",
  configuration: {
    domain: "https://example.my.salesforce.com",
    connect_mode: "api",
    client_id: "cid-123456",
    client_secret: "csecret-123456",
    oauth_refresh_token: "rtok-123456",
  },
};
const WORKFLOW_TOOLS = [
  "list_connection_types",
  "create_connection",
  "create_model",
  "list_target_objects",
  "create_sync",
  "start_sync",
  "get_sync_status",
];

class StepFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new StepFailed(message);
}

function textOf(result) {
  return (result.content || []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

async function main() {
  const [mode, ...rest] = process.argv.slice(2);
  let transport;
  if (mode === "stdio") {
    check(rest.length >= 1, "usage: sdk_workflow.mjs stdio <command> [args...]");
    transport = new StdioClientTransport({
      command: rest[0],
      args: rest.slice(1),
      env: { ...process.env },
      stderr: "inherit",
    });
  } else if (mode === "http") {
    check(rest.length === 1, "usage: sdk_workflow.mjs http <url>");
    transport = new StreamableHTTPClientTransport(new URL(rest[0]));
  } else {
    throw new StepFailed(`unknown mode ${mode}; use stdio or http`);
  }

  // Record the protocol version the SDK negotiated (the client calls this after initialize).
  let negotiated = null;
  const original = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    negotiated = version;
    original?.(version);
  };

  const client = new Client({ name: "polytomic-mcp-interop", version: "1.0.0" });
  const options = { timeout: REQUEST_TIMEOUT_MS };
  const summary = { ok: false, mode, steps: [], validated: [] };
  let step = "connect";
  try {
    await client.connect(transport, options);
    summary.protocolVersion = negotiated;
    summary.serverInfo = client.getServerVersion();
    summary.sessionId = transport.sessionId ?? null;

    step = "tools/list";
    const tools = [];
    let cursor;
    let pages = 0;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, options);
      tools.push(...page.tools);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    // listTools() caches one validator per outputSchema, but only for the page it last received.
    check(pages === 1, `tools/list was paginated (${pages} pages): the SDK would validate only the last page`);
    summary.tools = tools.map((t) => t.name).sort();
    summary.toolsWithOutputSchema = tools.filter((t) => t.outputSchema).map((t) => t.name).sort();
    for (const name of WORKFLOW_TOOLS) {
      check(summary.tools.includes(name), `tool ${name} is not listed`);
      check(typeof client.getToolOutputValidator(name) === "function", `no output-schema validator for ${name}: callTool would not validate it`);
    }

    // The validators are live: a result of the wrong shape is rejected.
    const probe = client.getToolOutputValidator("create_connection")({ id: 42, name: 42, status: 42 });
    summary.validatorRejectsWrongShape = probe.valid === false;
    check(summary.validatorRejectsWrongShape, "the create_connection output validator accepted a result of the wrong shape");

    // Every call goes through Client.callTool, which throws if structuredContent does not match
    // the outputSchema; reaching the end means every result validated.
    const call = async (name, args) => {
      step = `tools/call ${name}`;
      const result = await client.callTool({ name, arguments: args }, undefined, options);
      check(!result.isError, `${name} returned an error result: ${textOf(result)}`);
      check(result.structuredContent && typeof result.structuredContent === "object", `${name} returned no structuredContent`);
      summary.steps.push(name);
      if (client.getToolOutputValidator(name)) summary.validated.push(name);
      return result.structuredContent;
    };

    const types = await call("list_connection_types", { search: "salesforce" });
    const sfType = (types.types || []).find((t) => t.id === "salesforce");
    check(sfType && sfType.oauth === true && sfType.destination === true, `salesforce type not as expected: ${JSON.stringify(types)}`);

    const mongo = await call("create_connection", MONGO);
    check(mongo.status === "healthy", `mongodb connection not healthy: ${JSON.stringify(mongo)}`);
    check(mongo.configuration?.password === "******", "mongodb password was not masked");
    const salesforce = await call("create_connection", SALESFORCE);
    check(salesforce.status === "healthy", `salesforce connection not healthy: ${JSON.stringify(salesforce)}`);
    check(!salesforce.auth_url, `salesforce api-mode connection still asks for OAuth: ${salesforce.auth_url}`);
    for (const secret of ["client_secret", "oauth_refresh_token"]) {
      check(salesforce.configuration?.[secret] === "******", `salesforce ${secret} was not masked`);
    }

    const model = await call("create_model", {
      name: "MongoDB Model",
      configuration: { database: "example", collection: "users" },
      connection_id: mongo.id,
    });
    const fieldNames = (model.fields || []).map((f) => f.name);
    for (const f of ["email", "first_name", "last_name"]) check(fieldNames.includes(f), `model lacks field ${f}`);

    const objects = await call("list_target_objects", { connection_id: salesforce.id, search: "contact" });
    check((objects.objects || []).some((o) => o.id === "Contact"), `Contact not among target objects: ${JSON.stringify(objects)}`);

    const source = (field) => ({ field, model_id: model.id });
    const sync = await call("create_sync", {
      name: "Mongo to Salesforce Sync",
      mode: "create",
      identity: { source: source("email"), target: "Email", function: "equality" },
      fields: [
        { source: source("first_name"), target: "FirstName" },
        { source: source("last_name"), target: "LastName" },
      ],
      schedule: { frequency: "continuous" },
      target: { connection_id: salesforce.id, object: "Contact" },
    });
    check(sync.created === true && typeof sync.id === "string", `sync not created: ${JSON.stringify(sync)}`);

    const started = await call("start_sync", { sync_id: sync.id });
    const status = await call("get_sync_status", { sync_id: sync.id });

    step = "resources/read polytomic://connections";
    const read = await client.readResource({ uri: "polytomic://connections" }, options);
    // the text a model reads: the listing's JSON, with workspace names inside <workspace-data> markers
    const text = read.contents[0].text;
    check(read.contents[0].mimeType === "text/plain" && text.includes('<workspace-data field="connections">'),
      `unexpected polytomic://connections content: ${text}`);
    const listedIds = [mongo.id, salesforce.id].filter((id) => text.includes(id));
    check(listedIds.length === 2, `resource lacks the new connections: ${text}`);

    step = "prompts/get set_up_model_sync";
    const prompt = await client.getPrompt({ name: "set_up_model_sync", arguments: { source: "MongoDB users", destination: "Salesforce contacts" } }, options);
    check(prompt.messages.length > 0, "prompt has no messages");

    summary.ids = { mongo: mongo.id, salesforce: salesforce.id, model: model.id, sync: sync.id };
    summary.start = started;
    summary.status = status;
    summary.connectionsResource = listedIds;
    summary.promptMessages = prompt.messages.length;
    summary.ok = true;
  } catch (error) {
    summary.ok = false;
    summary.failedStep = step;
    summary.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    step = "close";
    try {
      if (mode === "http" && transport.sessionId) await transport.terminateSession();
      await client.close();
    } catch (error) {
      summary.closeError = String(error);
    }
  }
  return summary;
}

const watchdog = setTimeout(() => {
  process.stdout.write(JSON.stringify({ ok: false, error: `timed out after ${OVERALL_TIMEOUT_MS} ms` }) + "\n");
  process.exit(2);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

main()
  .catch((error) => ({ ok: false, failedStep: "setup", error: String(error) }))
  .then((summary) => {
    process.stdout.write(JSON.stringify(summary) + "\n", () => process.exit(summary.ok ? 0 : 1));
  });
