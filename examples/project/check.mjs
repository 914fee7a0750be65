// The end-to-end check: asks the API for /health a few times, then ends the run with its status.
const url = `http://127.0.0.1:${process.env.API_PORT ?? 47312}/health`;
let failures = 0;
for (let i = 1; i <= 3; i++) {
  const response = await fetch(url);
  console.log(`check: GET /health → ${response.status} ${(await response.text()).trim()}`);
  if (response.status !== 200) failures++;
  await new Promise((resolve) => setTimeout(resolve, 400));
}
console.log(failures === 0 ? 'check: all good' : `check: ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
