/**
 * Where services report what nobody is waiting for (a History write that failed, a push that
 * did not go out). One instance is passed into `createServices`; tests pass `silentLogger`.
 */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  error: (message) => console.error(message),
};

export const silentLogger: Logger = {
  info: () => {},
  error: () => {},
};
