/** The four base models PostTrainBench post-trains (posttrainbench.md §1.1). */
export const BASE_MODELS = ['google/gemma-3-4b-pt', 'Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-1.7B-Base', 'HuggingFaceTB/SmolLM3-3B-Base'] as const;
