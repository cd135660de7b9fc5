/*
 * Kiln's native forest evaluator: XGBoost 1.7's CPU tree prediction for batches, bit-identical to
 * libxgboost's and several times faster. models/xgboost/native-forest.ts builds the node layout, checks
 * every input and calls kiln_forest_predict through koffi.
 *
 * Exactness comes from doing what libxgboost does, in float32: a value goes left when `value < split`,
 * a missing value (NaN) takes the node's default direction, each tree's leaf is added to the row's margin
 * in tree order starting from the base margin, then the objective's transform with the C library's expf.
 * Never build this with -ffast-math or floating-point contraction.
 *
 * Speed comes from three things:
 * - every tree is a complete binary tree of the model's depth, stored level by level, so the children of
 *   node i are 2i + 1 and 2i + 2 and a node is 8 bytes (a leaf above the last level is repeated below
 *   itself: whichever way its pseudo-splits go, the walk ends on its value);
 * - BLOCK independent walks in flight: 16 rows x 1 tree, or 1 row x 16 trees for the rows left over;
 * - one comparison per step and no branch, on a per-block copy of the rows, transposed so that a node's
 *   feature slot is an offset into it:
 *     slot c          column c with NaN replaced by -Infinity: missing values go left (default-left nodes)
 *     slot cols + c   column c with NaN replaced by +Infinity: missing values go right (default-right nodes)
 *   and a node steps to `2i + 1 + (value >= split)`. The layout builder refuses the one split this
 *   cannot express: -Infinity with missing values going left.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define BLOCK 16
#define MAX_THREADS 256

/* One node as native-forest.ts writes it. */
typedef struct {
  int32_t slot; /* the feature slot in the row block (see above); 0 on the last level */
  float value;  /* split condition; the leaf value on the last level */
} kiln_node;

enum { TRANSFORM_IDENTITY = 0, TRANSFORM_SIGMOID = 1, TRANSFORM_EXP = 2, TRANSFORM_SOFTMAX = 3 };

typedef struct {
  const kiln_node *nodes; /* tree t starts at node t * ((2 << depth) - 1) */
  int32_t depth;
  const int32_t *groups; /* output group (class) of each tree */
  int32_t first_tree, last_tree, num_groups, transform;
  float base_margin;
  const float *data; /* row-major, cols values per row */
  int32_t cols;
  float *out;         /* rows x num_groups */
  int64_t begin, end; /* this job's rows */
  int status;
} job;

/* Copies rows [start, start + n) into the block layout described above: slot-major, BLOCK rows per slot. */
static void fill_block(float *block, const float *data, int32_t cols, int64_t start, int n) {
  for (int r = 0; r < n; r++) {
    const float *row = data + (start + r) * cols;
    for (int32_t c = 0; c < cols; c++) {
      float v = row[c];
      block[(size_t)c * BLOCK + r] = isnan(v) ? -INFINITY : v;
      block[(size_t)(cols + c) * BLOCK + r] = isnan(v) ? INFINITY : v;
    }
  }
}

/*
 * Adds the leaves of trees [first_tree, last_tree) to `out` (ROWS rows of num_groups values) for the
 * block's first ROWS rows, TREES trees at a time: ROWS x TREES = BLOCK walks overlap. Each output value
 * gets its trees in tree order, so the float sums round exactly as libxgboost's `+=` does.
 */
static inline __attribute__((always_inline)) void add_trees(const job *j, const float *block, float *out, const int ROWS, const int TREES) {
  const size_t tree_nodes = ((size_t)2 << j->depth) - 1;
  for (int32_t t0 = j->first_tree; t0 < j->last_tree; t0 += TREES) {
    int n = j->last_tree - t0 < TREES ? j->last_tree - t0 : TREES;
    const kiln_node *tree[TREES];
    for (int k = 0; k < TREES; k++) tree[k] = j->nodes + (size_t)(t0 + (k < n ? k : 0)) * tree_nodes; /* spare lanes repeat a tree, unused */
    size_t at[BLOCK] = { 0 }; /* walk r * TREES + k: row r in tree t0 + k */
    for (int32_t level = 0; level < j->depth; level++) {
      for (int r = 0; r < ROWS; r++) {
        for (int k = 0; k < TREES; k++) {
          const kiln_node *node = tree[k] + at[r * TREES + k];
          float v = (block + r)[(size_t)node->slot * BLOCK];
          at[r * TREES + k] = 2 * at[r * TREES + k] + 1 + (v >= node->value);
        }
      }
    }
    for (int r = 0; r < ROWS; r++) {
      for (int k = 0; k < n; k++) out[r * j->num_groups + j->groups[t0 + k]] += tree[k][at[r * TREES + k]].value;
    }
  }
}

/* XGBoost 1.7's PredTransform (src/common/math.h) on one row's values, float32 at every step. */
static void transform_row(float *values, int32_t groups, int32_t kind) {
  if (kind == TRANSFORM_SIGMOID) {
    for (int32_t g = 0; g < groups; g++) {
      float x = -values[g];
      x = 88.7f < x ? 88.7f : x; /* std::min(-x, 88.7f) keeps expf finite */
      values[g] = 1.0f / (expf(x) + 1.0f + 1e-16f);
    }
  } else if (kind == TRANSFORM_EXP) {
    for (int32_t g = 0; g < groups; g++) values[g] = expf(values[g]);
  } else if (kind == TRANSFORM_SOFTMAX) {
    float max = values[0];
    for (int32_t g = 1; g < groups; g++) max = fmaxf(values[g], max);
    double sum = 0;
    for (int32_t g = 0; g < groups; g++) {
      values[g] = expf(values[g] - max);
      sum += values[g];
    }
    for (int32_t g = 0; g < groups; g++) values[g] /= (float)sum;
  }
}

/* The two shapes run_job uses, compiled apart so that each gets its own register allocation. */
static __attribute__((noinline)) void add_trees_16_rows(const job *j, const float *block, float *out) { add_trees(j, block, out, BLOCK, 1); }
static __attribute__((noinline)) void add_trees_1_row(const job *j, const float *block, float *out) { add_trees(j, block, out, 1, BLOCK); }

static void *run_job(void *arg) {
  job *j = arg;
  float *block = malloc(sizeof(float) * BLOCK * 2 * (size_t)j->cols);
  if (block == NULL) {
    j->status = -1;
    return NULL;
  }
  for (int64_t start = j->begin; start < j->end; start += BLOCK) {
    int n = j->end - start < BLOCK ? (int)(j->end - start) : BLOCK;
    float *out = j->out + start * j->num_groups;
    for (int64_t i = 0; i < (int64_t)n * j->num_groups; i++) out[i] = j->base_margin;
    fill_block(block, j->data, j->cols, start, n);
    if (n == BLOCK) {
      add_trees_16_rows(j, block, out);
    } else {
      for (int r = 0; r < n; r++) add_trees_1_row(j, block + r, out + r * j->num_groups);
    }
    for (int r = 0; r < n; r++) transform_row(out + r * j->num_groups, j->num_groups, j->transform);
  }
  free(block);
  j->status = 0;
  return NULL;
}

/*
 * Predicts `rows` rows of `data` into `out` (rows x num_groups floats) with trees [first_tree, last_tree)
 * on `nthread` threads, each taking a contiguous range of whole blocks, so the bytes do not depend on the
 * thread count. Returns 0, or -1 when memory for a row block could not be allocated. The caller
 * guarantees a well-formed layout and shapes (native-forest.ts checks them).
 */
int kiln_forest_predict(const kiln_node *nodes, int32_t depth, const int32_t *groups, int32_t first_tree, int32_t last_tree,
                        int32_t num_groups, float base_margin, int32_t transform, const float *data, int64_t rows, int32_t cols,
                        int32_t nthread, float *out) {
  int64_t blocks = (rows + BLOCK - 1) / BLOCK;
  int64_t threads = nthread < 1 ? 1 : nthread > MAX_THREADS ? MAX_THREADS : nthread;
  if (threads > blocks) threads = blocks;
  job jobs[MAX_THREADS];
  pthread_t ids[MAX_THREADS];
  int started[MAX_THREADS];
  for (int64_t i = 0; i < threads; i++) {
    jobs[i] = (job){ nodes, depth, groups, first_tree, last_tree, num_groups, transform, base_margin, data, cols, out,
                     blocks * i / threads * BLOCK, i + 1 == threads ? rows : blocks * (i + 1) / threads * BLOCK, 0 };
  }
  /* The calling thread takes the first range, and the range of any thread that cannot start. */
  for (int64_t i = 1; i < threads; i++) started[i] = pthread_create(&ids[i], NULL, run_job, &jobs[i]) == 0;
  run_job(&jobs[0]);
  int status = jobs[0].status;
  for (int64_t i = 1; i < threads; i++) {
    if (started[i]) pthread_join(ids[i], NULL);
    else run_job(&jobs[i]);
    if (jobs[i].status != 0) status = jobs[i].status;
  }
  return status;
}
