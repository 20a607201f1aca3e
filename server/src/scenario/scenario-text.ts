// What marks a C file as a scenario: it includes the helper header. The server and the extension (which
// starts the server for a scenario file outside a kernel tree) both ask.
export const isScenarioText = (text: string): boolean => /#\s*include\s*[<"]knr_scenario\.h[>"]/.test(text);
