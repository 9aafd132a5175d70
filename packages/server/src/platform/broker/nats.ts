// PLACEHOLDER: the gateway helper replaces this file.
import type { Broker } from './broker.ts';

export class NatsBroker {
  static async connect(_url: string): Promise<Broker> {
    throw new Error('placeholder');
  }
}
