import type { CliIo } from "./io"; export async function importCommand(_a: string[], io: CliIo): Promise<number> { io.stderr("todo\n"); return 2; }
