import webpush from "web-push";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startPushReceiver, type PushReceiver } from "./push-receiver";

// The receiver must be able to say no, or the push tests that rely on it prove nothing.
let receiver: PushReceiver;
const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:test@example.com" };

beforeAll(async () => {
  receiver = await startPushReceiver();
  receiver.expectVapidKey(vapid.publicKey);
});
afterAll(() => receiver.close());

const send = (sub: { endpoint: string; keys: { p256dh: string; auth: string } }, keys = vapid) =>
  webpush.sendNotification(sub, JSON.stringify({ hello: "phone" }), { vapidDetails: keys, agent: receiver.agent }).then(
    (r) => r.statusCode,
    (e: { statusCode: number }) => e.statusCode,
  );

test("a correct push decrypts", async () => {
  const sub = receiver.newSubscription();
  expect(await send(sub.json)).toBe(201);
  expect(receiver.deliveriesFor(sub.id).map((d) => d.payload)).toEqual([{ hello: "phone" }]);
});

test("a push signed with another VAPID key is refused", async () => {
  const sub = receiver.newSubscription();
  expect(await send(sub.json, { ...webpush.generateVAPIDKeys(), subject: vapid.subject })).toBe(400);
  expect(receiver.problems.at(-1)).toMatch(/k is not the server's VAPID public key/);
});

test("a push encrypted for another browser's keys does not decrypt", async () => {
  const sub = receiver.newSubscription();
  const other = receiver.newSubscription();
  expect(await send({ endpoint: sub.json.endpoint, keys: other.json.keys })).toBe(400);
  expect(receiver.problems.at(-1)).toMatch(/unable to authenticate/);
  expect(receiver.deliveriesFor(sub.id)).toEqual([]);
});

test("a push for an unknown endpoint gets 404", async () => {
  const sub = receiver.newSubscription();
  expect(await send({ ...sub.json, endpoint: `${receiver.origin}/push/nobody` })).toBe(404);
});
