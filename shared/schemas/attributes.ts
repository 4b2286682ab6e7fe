// A member's attributes as the API, the GraphQL mutation and the console's onboarding wizard see them.
import { Type, type Static } from '@sinclair/typebox';

export const GENDERS = ['woman', 'man', 'nonbinary'] as const;
export type Gender = (typeof GENDERS)[number];

/** Whether a stored value is one of GENDERS (rows may hold NULL or a value from before a change). */
export function isGender(value: unknown): value is Gender {
  return (GENDERS as readonly unknown[]).includes(value);
}

export const ATTRIBUTE_LIMITS = {
  maxTags: 30,
  maxTagLength: 60,
  maxPlaceLength: 120,
  maxConnectors: 10,
  minimumAge: 18,
  maximumAge: 120,
} as const;

const Tag = Type.String({ minLength: 1, maxLength: ATTRIBUTE_LIMITS.maxTagLength, pattern: '\\S' });
const TagList = Type.Array(Tag, { maxItems: ATTRIBUTE_LIMITS.maxTags, uniqueItems: true });
const GenderSchema = Type.Union(
  GENDERS.map((gender) => Type.Literal(gender)),
  { description: 'used for preference matching and the gender-parity band' },
);

export const Location = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    place: Type.Optional(Type.String({ minLength: 1, maxLength: ATTRIBUTE_LIMITS.maxPlaceLength })),
  },
  { additionalProperties: false },
);

/** One external account link, e.g. `spotify`; its sync details are written by the connector itself. */
export const Connector = Type.Object(
  {
    connected: Type.Boolean(),
    handle: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);

export const Connectors = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), Connector, {
  additionalProperties: false,
  maxProperties: ATTRIBUTE_LIMITS.maxConnectors,
});

export const UserAttributesInput = Type.Object(
  {
    location: Location,
    birthday: Type.String({ format: 'date', description: 'YYYY-MM-DD; the member must be 18 or older' }),
    hobbies: TagList,
    communities: TagList,
    connectors: Connectors,
    gender: GenderSchema,
    seeking: Type.Array(GenderSchema, { minItems: 1, maxItems: GENDERS.length, uniqueItems: true }),
  },
  { $id: 'UserAttributesInput', additionalProperties: false },
);
export type UserAttributesInput = Static<typeof UserAttributesInput>;

export const UserAttributes = Type.Object(
  {
    memberId: Type.String(),
    ...UserAttributesInput.properties,
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'UserAttributes', additionalProperties: false },
);
export type UserAttributes = Static<typeof UserAttributes>;

/**
 * Whether a birthday (YYYY-MM-DD) makes a member at least `minimumAge` on `today`.
 * Pure date arithmetic on the calendar fields, so it does not drift with time zones.
 */
export function ageOn(birthday: string, today: Date): number {
  const [year, month, day] = birthday.split('-').map(Number) as [number, number, number];
  const thisYear = today.getUTCFullYear();
  const birthdayPassed =
    today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return thisYear - year - (birthdayPassed ? 0 : 1);
}
