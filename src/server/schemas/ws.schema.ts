import { Type, type Static } from 'typebox';

/** Version of the WebSocket message protocol (field `v` of every message). */
export const WS_PROTOCOL_VERSION = 1;

const Target = {
  jobId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  batchId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
};

/** Messages a client sends (JSON text frames). */
export const WsClientMessage = Type.Union([
  Type.Object({ v: Type.Literal(1), type: Type.Literal('subscribe'), ...Target }),
  Type.Object({ v: Type.Literal(1), type: Type.Literal('unsubscribe'), ...Target }),
  Type.Object({ v: Type.Literal(1), type: Type.Literal('ping') }),
  Type.Object({
    v: Type.Literal(1),
    type: Type.Literal('tts'),
    id: Type.String({ minLength: 1, maxLength: 64, description: 'Client reference echoed in tts.* replies.' }),
    text: Type.String({ minLength: 1 }),
    voice: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    engine: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    language: Type.Optional(Type.String({ minLength: 2, maxLength: 16 })),
    rate: Type.Optional(Type.Number({ minimum: 0.25, maximum: 4 })),
    pitch: Type.Optional(Type.Number({ minimum: -24, maximum: 24 })),
  }),
]);

/** A parsed client message. */
export type WsClientMessageData = Static<typeof WsClientMessage>;
