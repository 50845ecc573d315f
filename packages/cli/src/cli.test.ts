import { describe, expect, it } from "vitest";
import { spawnCli } from "./testing/spawn-cli.ts";

describe("paymesh dispatcher", () => {
  it("answers an unknown command with usage on stderr and exit 2", async () => {
    const run = await spawnCli(["frobnicate", "--now"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderrLines[0]).toBe('paymesh: unknown command "frobnicate"');
    expect(run.stderr).toContain("Usage: paymesh <command>");
    expect(run.stderr).toContain("pay qris");
  });

  it("lists a group's commands when its subcommand is missing", async () => {
    const run = await spawnCli(["qris"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("qris decode");
    expect(run.stderr).not.toContain("pay qris");
  });

  it("prints usage on stderr with exit 2 when no command is given", async () => {
    const run = await spawnCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: paymesh <command>");
  });

  it("prints usage on stdout with exit 0 for --help", async () => {
    const run = await spawnCli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    for (const command of [
      "up",
      "pay qris",
      "pay va",
      "pay transfer",
      "quote",
      "pay remittance",
      "payments get",
      "payments list",
      "payments watch",
      "payments cancel",
      "payments stuck",
      "adapters",
      "dlq list",
      "dlq show",
      "dlq replay",
      "dlq drop",
      "sandbox pay qris",
      "sandbox pay va",
      "sandbox complete transfer",
      "sandbox advance remittance",
      "qris decode",
      "qris dynamic",
      "new adapter",
    ]) {
      expect(run.stdout).toContain(command);
    }
  });

  it.each([
    ["up"],
    ["pay", "qris"],
    ["pay", "va"],
    ["pay", "transfer"],
    ["quote"],
    ["pay", "remittance"],
    ["payments", "get"],
    ["payments", "list"],
    ["payments", "watch"],
    ["payments", "cancel"],
    ["payments", "stuck"],
    ["payments", "resolve"],
    ["adapters"],
    ["dlq", "list"],
    ["dlq", "show"],
    ["dlq", "replay"],
    ["dlq", "drop"],
    ["recon", "list"],
    ["recon", "show"],
    ["recon", "run"],
    ["recon", "discrepancies"],
    ["recon", "resolve"],
    ["recon", "export"],
    ["sandbox", "pay", "qris"],
    ["sandbox", "pay", "va"],
    ["sandbox", "complete", "transfer"],
    ["sandbox", "advance", "remittance"],
    ["qris", "decode"],
    ["qris", "dynamic"],
    ["new", "adapter"],
  ])("shows help with an example for %s --help, exit 0", async (...path) => {
    const run = await spawnCli([...path, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: paymesh ${path.join(" ")}`);
    expect(run.stdout).toContain("Example:");
    expect(run.stdout).toContain("--json");
    // Every command printed works as shown from a fresh shell in the repo, where pnpm is .tools'.
    const examples = run.stdout.slice(run.stdout.indexOf("Example:")).split("\n").slice(1);
    for (const example of examples.filter((line) => /^\s+\S/.test(line))) {
      expect(example).toMatch(/^\s+(\.\/run pnpm |\\|--)/);
    }
  });

  it.each([["payments"], ["dlq"], ["recon"], ["pay"], ["sandbox"], ["qris"]])(
    "lists the %s group on stdout with exit 0 for --help",
    async (group) => {
      const run = await spawnCli([group, "--help"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const listed = run.stdout.split("\n").filter((line) => /^ {2}\S/.test(line));
      expect(listed.length).toBeGreaterThan(0);
      for (const line of listed) expect(line).toMatch(new RegExp(`^  ${group} `));
    },
  );

  it("lists the sandbox group's commands when its action is missing", async () => {
    const run = await spawnCli(["sandbox", "complete"]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe('paymesh: unknown command "sandbox complete"');
    expect(run.stderr).toContain("sandbox complete transfer");
    expect(run.stderr).toContain("sandbox advance remittance");
    expect(run.stderr).not.toContain("qris decode");
  });

  it("rejects a bad option with a usage error pointing at --help, exit 2", async () => {
    const run = await spawnCli(["pay", "qris", "--amount", "25000", "--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderrLines).toEqual([
      'paymesh: pay qris: unknown option "--bogus"',
      'run "paymesh pay qris --help" for usage',
    ]);
  });

  it("checks the amount before calling the router", async () => {
    // Port 1 is never a router: reaching it would fail differently, proving the check came first.
    const run = await spawnCli(["pay", "qris", "--amount", "10000.001", "--router", "127.0.0.1:1"]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual(['paymesh: amount "10000.001" has more than 2 decimals; IDR has 2']);
  });
});
