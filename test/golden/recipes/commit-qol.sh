#!/bin/bash
# Written for ptb-slurm's tests from the facts of upstream's qol_multigpu recipe file: its shape, none of its code.
source src/commit_utils/set_env_vars.sh
export POST_TRAIN_BENCH_EXPERIMENT_NAME="_METR"

models=(
    # "google/gemma-3-4b-pt"
    "Qwen/Qwen3-4B-Base"
    # "Qwen/Qwen3-1.7B-Base"
    # "HuggingFaceTB/SmolLM3-3B-Base"
)

evals=(
    # "aime2025"
    # "gsm8k"
    "healthbench"
)

for model in "${models[@]}"; do
    for eval in "${evals[@]}"; do
        echo $model on $eval
        if [ "${POST_TRAIN_BENCH_JOB_SCHEDULER}" = "htcondor_mpi-is" ]; then
            condor_submit_bid 100 -a "agent=claude_reprompt" -a "agent_config=claude-opus-4-6[1m]" -a "eval=$eval" -a "model_to_train=$model" -a "num_gpus=8" -a "num_hours=100" -a "request_memory=524288" -a "request_cpus=128" -a "request_disk=800G" src/commit_utils/single_task.sub
            # condor_submit_bid 100 -a "agent=codex_xhigh" -a "agent_config=gpt-5.5" -a "eval=$eval" -a "model_to_train=$model" -a "num_hours=10" src/commit_utils/single_task.sub
            #condor_submit_bid 100 -a "agent=claude_reprompt" -a "agent_config=claude-opus-4-6[1m]" -a "eval=$eval" -a "model_to_train=$model" -a "num_gpus=1" -a "num_hours=5" src/commit_utils/single_task.sub
            sleep 10
        fi
    done
done
