// Test data built from the record schema: a value of a schema object with every field set
// (as crates/domain/src/schema.rs `sample` does on the Rust side).
import type { FieldType, JsonValue } from '../lib/types';
import { enumValues, fieldsOf } from '../i18n/format';
import { NIL_UUID } from '../lib/util';
import type { WireObject } from '../lib/schemaForm';

export function sample(name: string, text: (path: string) => string = (p) => `<${p}>`): WireObject {
  let day = 0;
  const value = (ty: FieldType, path: string): JsonValue => {
    switch (ty.type) {
      case 'text':
        return text(path);
      case 'date': {
        const d = new Date(Date.UTC(2001, 0, 1 + day++));
        return d.toISOString().slice(0, 10);
      }
      case 'bool':
        return true;
      case 'int':
        return ty.min;
      case 'enum':
        return enumValues(ty.name)[0];
      case 'list':
        return [value(ty.item, path)];
      case 'object':
        return object(ty.name, path);
      case 'id':
        return NIL_UUID;
    }
  };
  const object = (schema: string, path: string): WireObject => {
    const out: WireObject = {};
    for (const f of fieldsOf(schema) ?? []) out[f.name] = value(f.type, `${path}.${f.name}`);
    return out;
  };
  return object(name, name);
}
