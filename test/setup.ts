// Ink reads CI at import time and then renders only the last frame; tests want every frame.
delete process.env.CI;
