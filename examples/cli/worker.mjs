// A worker gated on the web server: it polls it and says what it got.
const url = `http://127.0.0.1:${process.env.PORT}/`;
const poll = async () => console.log(`got: ${(await (await fetch(url)).text()).trim()}`);
await poll();
const timer = setInterval(() => void poll().catch((error) => console.error(`poll failed: ${error.message}`)), 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.exit(0);
});
