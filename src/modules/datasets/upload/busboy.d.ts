// Minimal typings for busboy, which ships none. Delete this file if @types/busboy is added to
// package.json.
declare module 'busboy' {
  import type { IncomingHttpHeaders } from 'node:http';
  import type { Readable, Writable } from 'node:stream';

  namespace busboy {
    interface FileInfo {
      filename: string;
      encoding: string;
      mimeType: string;
    }
    interface FieldInfo {
      nameTruncated: boolean;
      valueTruncated: boolean;
      encoding: string;
      mimeType: string;
    }
    interface BusboyConfig {
      headers: IncomingHttpHeaders;
      highWaterMark?: number;
      /** Charset of header parameters (file names) without an explicit one; 'latin1' by default. */
      defParamCharset?: string;
      limits?: {
        fieldNameSize?: number;
        fieldSize?: number;
        fields?: number;
        fileSize?: number;
        files?: number;
        parts?: number;
      };
    }
    interface Busboy extends Writable {
      on(event: 'file', listener: (name: string, stream: Readable, info: FileInfo) => void): this;
      on(event: 'field', listener: (name: string, value: string, info: FieldInfo) => void): this;
      on(
        event: 'filesLimit' | 'fieldsLimit' | 'partsLimit' | 'close' | 'finish',
        listener: () => void,
      ): this;
      on(event: 'error', listener: (error: Error) => void): this;
    }
  }
  function busboy(config: busboy.BusboyConfig): busboy.Busboy;
  export = busboy;
}
