import os from 'node:os';

/** What the figures were measured on: they mean little without it. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly gcExposed: boolean;
}

export function machineInfo(gcExposed: boolean): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    gcExposed,
  };
}

export function formatMachine(info: MachineInfo): string {
  return [
    `CPU:    ${info.cpuModel} (${info.cores} cores available)`,
    `Memory: ${info.totalMemoryGiB} GiB`,
    `Node:   ${info.node}${info.gcExposed ? '' : ' (without --expose-gc: RSS baselines are less stable)'}`,
    `OS:     ${info.os}`,
  ].join('\n');
}
