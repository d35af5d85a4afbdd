// esbuild's text loader: the example header is bundled into the page as a string.
declare module '*.h' {
  const text: string;
  export default text;
}
