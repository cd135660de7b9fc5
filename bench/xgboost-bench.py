"""Python side of bench/xgboost-bench.ts: same matrix, same params, timed the same way.

Usage: python3 xgboost-bench.py train <dir> <rows> <cols> <rounds> <nthread>
       python3 xgboost-bench.py serve <dir> <rows> <cols> <nthread> <single-row model> <batch model>
Reads <dir>/x.f32 and <dir>/y.f32 (raw float32, row-major) and <dir>/params.json;
prints one JSON line.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb

mode, d = sys.argv[1], sys.argv[2]
rows, cols = int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(d + "/x.f32", dtype=np.float32).reshape(rows, cols)

if mode == "train":
    rounds, nthread = int(sys.argv[5]), int(sys.argv[6])
    y = np.fromfile(d + "/y.f32", dtype=np.float32)
    params = json.loads(open(d + "/params.json").read())
    t = time.perf_counter()
    dtrain = xgb.DMatrix(x, label=y, nthread=nthread)
    dmatrix_s = time.perf_counter() - t
    t = time.perf_counter()
    xgb.train(params, dtrain, rounds)
    print(json.dumps({"dmatrix_s": dmatrix_s, "train_s": time.perf_counter() - t}))
else:
    nthread, model, batch_model = int(sys.argv[5]), sys.argv[6], sys.argv[7]
    served = xgb.Booster(model_file=model)
    # single rows on one thread, as Kiln serves them; the batch on nthread threads
    served.set_param({"nthread": 1})
    row = x[:1].copy()
    for _ in range(200):
        served.inplace_predict(row)
    times = []
    for _ in range(5000):
        t = time.perf_counter_ns()
        served.inplace_predict(row)
        times.append(time.perf_counter_ns() - t)
    times.sort()
    trained = xgb.Booster(model_file=batch_model)
    trained.set_param({"nthread": nthread})
    batch = []
    for _ in range(3):
        t = time.perf_counter()
        trained.inplace_predict(x)
        batch.append(time.perf_counter() - t)
    print(json.dumps({"single_median_us": times[len(times) // 2] / 1000, "batch_inplace_s": min(batch)}))
