/** Sandbox users read the schema: every type, field, argument and enum value must say what it is. */
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
} from 'graphql';
import { buildSchema } from '../../src/schema';

/** Types and fields that buildSubgraphSchema adds for federation, which we do not write. */
const FEDERATION_TYPES = new Set([
  '_Service',
  '_Entity',
  '_Any',
  'FieldSet',
  'link__Import',
  'link__Purpose',
  'federation__Scope',
  'federation__Policy',
  'federation__ContextFieldValue',
  'federation__FieldSet',
]);
const FEDERATION_FIELDS = new Set(['_service', '_entities']);

function undocumented(type: GraphQLNamedType): string[] {
  const missing: string[] = [];
  if (!type.description?.trim()) missing.push(type.name);
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      if (FEDERATION_FIELDS.has(field.name)) continue;
      if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
    }
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
  }
  if (isEnumType(type)) {
    for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}

test('every type, field, argument, input field and enum value has a description', () => {
  const schema = buildSchema();
  const ours = Object.values(schema.getTypeMap()).filter(
    (type) => !type.name.startsWith('__') && !FEDERATION_TYPES.has(type.name) && !(isScalarType(type) && isSpecifiedScalarType(type)),
  );
  expect(ours.length).toBeGreaterThan(40);
  expect(ours.flatMap(undocumented)).toEqual([]);
});
