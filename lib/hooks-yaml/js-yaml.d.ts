// js-yaml ships no types and @types/js-yaml is not a dependency yet: the part of its API this
// folder uses. Delete this file once @types/js-yaml is installed.
declare module 'js-yaml' {
  export interface Mark {
    name: string | null;
    buffer: string;
    position: number;
    line: number;
    column: number;
  }
  export class YAMLException extends Error {
    reason: string;
    mark: Mark | undefined;
  }
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    resolve?: (data: string | null) => boolean;
    construct?: (data: string | null) => unknown;
    predicate?: (data: unknown) => boolean;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export class Schema {
    extend(types: Type | Type[] | { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const DEFAULT_SCHEMA: Schema;
  export interface LoadOptions {
    filename?: string;
    schema?: Schema;
    json?: boolean;
    maxDepth?: number;
    maxTotalMergeKeys?: number;
    onWarning?: (e: YAMLException) => void;
  }
  export function load(text: string, options?: LoadOptions): unknown;
}
