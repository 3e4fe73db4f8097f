#!/bin/sh
# The backend's CUDA checks in one run, for a session lent a GPU (the device tool runs it in
# the repository root): the trace sweep of tests/test_trace.py on cuda, float32 without TF32
# and float64, then bench/capture.py on cuda. Needs torch, pandas and pytest only, which the
# device image has.
#
#     sh bench/gpu_check.sh
set -e
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0))"
RNNVIZ_TEST_DEVICE=cuda python3 -m pytest -q -p no:cacheprovider tests/test_trace.py -k matches_torch
python3 bench/capture.py --device cuda
