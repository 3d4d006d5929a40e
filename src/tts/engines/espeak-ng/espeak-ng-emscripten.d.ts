// The package ships no types; espeak-ng.module.ts narrows what it uses to its own interfaces.
declare module '@echogarden/espeak-ng-emscripten' {
  const initialize: () => Promise<unknown>;
  export default initialize;
}
