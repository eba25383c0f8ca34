/*
 * Ganvas' own WebAssembly SIMD kernels for the tfjs wasm backend (built by build.sh).
 *
 * The module imports the tfjs wasm backend's memory and works on tensors in place: every pointer
 * is a byte offset into that heap (a tensor's memoryOffset, or scratch from the backend's malloc).
 * It must never touch memory it was not given, so the code uses no static data and no shadow
 * stack (build.sh checks the binary: no data segments, no use of __stack_pointer).
 *
 * Layout: NHWC, so a tensor is `rows` rows of `c` channels and per-channel work vectorises
 * across the contiguous channel axis (4 lanes; a scalar loop takes the remainder).
 * Activations: 0 = none, 1 = relu, 2 = leaky relu (slope), 3 = tanh (act_grad only).
 */
#include <wasm_simd128.h>

typedef float f32;
typedef v128_t v4;

#define EXPORT(name) __attribute__((export_name(#name))) name
/* Rows summed in one block before joining the running total: float sums over 64k rows keep ~1e-6 accuracy. */
#define BLOCK 64

static inline v4 splat(f32 v) { return wasm_f32x4_splat(v); }
static inline v4 ld(const f32* p) { return wasm_v128_load(p); }
static inline void st(f32* p, v4 v) { wasm_v128_store(p, v); }

static void zero(f32* p, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) st(p + i, splat(0));
  for (; i < n; i++) p[i] = 0;
}

static inline void copy(f32* dst, const f32* src, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) st(dst + i, ld(src + i));
  for (; i < n; i++) dst[i] = src[i];
}

/*
 * out[j] = sum over rows of x[r, j] (squares == 0) or of (x[r, j] - mean[j])^2 (squares == 1), summed
 * in blocks of BLOCK rows into part (c floats). Inlined with a constant `squares`, so each caller
 * gets its own loop without a branch.
 */
static inline void column_sums(const f32* x, const f32* mean, f32* out, f32* part, int rows, int c, int squares) {
  zero(out, c);
  for (int r0 = 0; r0 < rows; r0 += BLOCK) {
    int r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    zero(part, c);
    for (int r = r0; r < r1; r++) {
      const f32* xr = x + (long)r * c;
      int j = 0;
      for (; j + 4 <= c; j += 4) {
        v4 d = ld(xr + j);
        if (squares) {
          d = wasm_f32x4_sub(d, ld(mean + j));
          d = wasm_f32x4_mul(d, d);
        }
        st(part + j, wasm_f32x4_add(ld(part + j), d));
      }
      for (; j < c; j++) {
        f32 d = xr[j];
        if (squares) {
          d -= mean[j];
          d *= d;
        }
        part[j] += d;
      }
    }
    for (int j = 0; j < c; j++) out[j] += part[j];
  }
}

/* act'(pre) from y = act(pre): 1 where y > 0, else the slope (0 for relu, 1 for none). */
static inline f32 mask1(f32 y, int act, f32 slope) {
  if (act == 0) return 1;
  return y > 0 ? 1 : (act == 1 ? 0 : slope);
}
static inline v4 mask4(v4 y, int act, v4 vslope) {
  if (act == 0) return splat(1);
  v4 pos = wasm_f32x4_gt(y, splat(0));
  return wasm_v128_bitselect(splat(1), act == 1 ? splat(0) : vslope, pos);
}

/*
 * Training-mode BatchNorm + activation over rows x c (NHWC flattened).
 * Outputs y (rows x c), mean and biased variance (c). scratch: 2c floats.
 */
void EXPORT(bn_act_forward)(const f32* x, const f32* gamma, const f32* beta, f32* y, f32* mean, f32* var,
                            f32* scratch, int rows, int c, int act, f32 slope) {
  f32* part = scratch;
  f32 inv_n = 1.0f / (f32)rows;
  /* Pass 1: mean. */
  column_sums(x, mean, mean, part, rows, c, 0);
  for (int j = 0; j < c; j++) mean[j] *= inv_n;
  /* Pass 2: variance around the mean (two passes: no cancellation). */
  column_sums(x, mean, var, part, rows, c, 1);
  /* scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
  f32* scale = scratch;
  f32* shift = scratch + c;
  for (int j = 0; j < c; j++) {
    var[j] *= inv_n;
    scale[j] = gamma[j] / __builtin_sqrtf(var[j] + 1e-5f);
    shift[j] = beta[j] - mean[j] * scale[j];
  }
  /* Pass 3: normalise and activate. */
  v4 vslope = splat(slope);
  for (int r = 0; r < rows; r++) {
    const f32* xr = x + (long)r * c;
    f32* yr = y + (long)r * c;
    int j = 0;
    for (; j + 4 <= c; j += 4) {
      v4 v = wasm_f32x4_add(wasm_f32x4_mul(ld(xr + j), ld(scale + j)), ld(shift + j));
      if (act != 0) v = wasm_f32x4_mul(v, mask4(v, act, vslope));
      st(yr + j, v);
    }
    for (; j < c; j++) {
      f32 v = xr[j] * scale[j] + shift[j];
      yr[j] = v * mask1(v, act, slope);
    }
  }
}

/*
 * Gradient of bn_act_forward. With g = dy * act'(y), xc = x - mean, s = 1/sqrt(var + eps):
 *   dbeta = sum g, dgamma = s * sum g*xc,
 *   dx = gamma*s * (g - dbeta/n - xc*s*dgamma/n) = a*g + b*xc + k.
 * scratch: 3c floats.
 */
void EXPORT(bn_act_backward)(const f32* dy, const f32* x, const f32* y, const f32* mean, const f32* var,
                             const f32* gamma, f32* dx, f32* dgamma, f32* dbeta, f32* scratch, int rows, int c,
                             int act, f32 slope) {
  f32* pb = scratch;
  f32* pg = scratch + c;
  v4 vslope = splat(slope);
  zero(dbeta, c);
  zero(dgamma, c);
  for (int r0 = 0; r0 < rows; r0 += BLOCK) {
    int r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    zero(pb, c);
    zero(pg, c);
    for (int r = r0; r < r1; r++) {
      const f32 *dyr = dy + (long)r * c, *xr = x + (long)r * c, *yr = y + (long)r * c;
      int j = 0;
      for (; j + 4 <= c; j += 4) {
        v4 g = wasm_f32x4_mul(ld(dyr + j), mask4(ld(yr + j), act, vslope));
        st(pb + j, wasm_f32x4_add(ld(pb + j), g));
        st(pg + j, wasm_f32x4_add(ld(pg + j), wasm_f32x4_mul(g, wasm_f32x4_sub(ld(xr + j), ld(mean + j)))));
      }
      for (; j < c; j++) {
        f32 g = dyr[j] * mask1(yr[j], act, slope);
        pb[j] += g;
        pg[j] += g * (xr[j] - mean[j]);
      }
    }
    for (int j = 0; j < c; j++) {
      dbeta[j] += pb[j];
      dgamma[j] += pg[j];
    }
  }
  f32* a = scratch;
  f32* b = scratch + c;
  f32* k = scratch + 2 * c;
  f32 inv_n = 1.0f / (f32)rows;
  for (int j = 0; j < c; j++) {
    f32 s = 1.0f / __builtin_sqrtf(var[j] + 1e-5f);
    dgamma[j] *= s;
    a[j] = gamma[j] * s;
    b[j] = -a[j] * s * dgamma[j] * inv_n;
    k[j] = -a[j] * dbeta[j] * inv_n;
  }
  for (int r = 0; r < rows; r++) {
    const f32 *dyr = dy + (long)r * c, *xr = x + (long)r * c, *yr = y + (long)r * c;
    f32* dxr = dx + (long)r * c;
    int j = 0;
    for (; j + 4 <= c; j += 4) {
      v4 g = wasm_f32x4_mul(ld(dyr + j), mask4(ld(yr + j), act, vslope));
      v4 xc = wasm_f32x4_sub(ld(xr + j), ld(mean + j));
      st(dxr + j, wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(ld(a + j), g), wasm_f32x4_mul(ld(b + j), xc)), ld(k + j)));
    }
    for (; j < c; j++) {
      f32 g = dyr[j] * mask1(yr[j], act, slope);
      dxr[j] = a[j] * g + b[j] * (xr[j] - mean[j]) + k[j];
    }
  }
}

/* dx = dy * act'(pre), from y = act(pre), over n elements. */
void EXPORT(act_grad)(const f32* dy, const f32* y, f32* dx, int n, int act, f32 slope) {
  int i = 0;
  if (act == 3) {
    for (; i + 4 <= n; i += 4) {
      v4 yv = ld(y + i);
      st(dx + i, wasm_f32x4_mul(ld(dy + i), wasm_f32x4_sub(splat(1), wasm_f32x4_mul(yv, yv))));
    }
    for (; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
    return;
  }
  v4 vslope = splat(slope);
  for (; i + 4 <= n; i += 4) st(dx + i, wasm_f32x4_mul(ld(dy + i), mask4(ld(y + i), act, vslope)));
  for (; i < n; i++) dx[i] = dy[i] * mask1(y[i], act, slope);
}

/*
 * Convolution geometry (NHWC, filter [kh, kw, c, cout]): output pixel (b, i, j) reads input pixel
 * (b, i*sh - pt + p, j*sw - pl + q) through tap (p, q); out-of-range pixels are the zero padding.
 */

/* dst[0..n) += src[0..n) */
static inline void add_to(f32* dst, const f32* src, int n) {
  int k = 0;
  for (; k + 4 <= n; k += 4) st(dst + k, wasm_f32x4_add(ld(dst + k), ld(src + k)));
  for (; k < n; k++) dst[k] += src[k];
}

/*
 * col2im: the input gradient of a conv (= a transposed conv) from its "columns"
 * cols[(b,i,j), (p,q,ch)] = sum_co dy[b,i,j,co] * w[p,q,ch,co]. Each input pixel gathers the
 * columns of the taps that read it (written once: no zeroing, no read-modify-write passes).
 * dx is [b, h, w, c].
 */
void EXPORT(col2im)(const f32* cols, f32* dx, int batch, int h, int w, int c, int ho, int wo, int kh, int kw, int sh,
                    int sw, int pt, int pl) {
  long tap_stride = (long)kh * kw * c;
  for (int b = 0; b < batch; b++)
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) {
        f32* out = dx + ((long)(b * h + y) * w + x) * c;
        int first = 1;
        /* Taps p with y = i*sh - pt + p for an output row 0 <= i < ho. */
        for (int p = (y + pt) % sh; p < kh; p += sh) {
          int i = (y + pt - p) / sh;
          if (i < 0 || i >= ho) continue;
          for (int q = (x + pl) % sw; q < kw; q += sw) {
            int j = (x + pl - q) / sw;
            if (j < 0 || j >= wo) continue;
            const f32* src = cols + ((long)(b * ho + i) * wo + j) * tap_stride + (p * kw + q) * c;
            if (first) {
              copy(out, src, c);
              first = 0;
            } else {
              add_to(out, src, c);
            }
          }
        }
        if (first) zero(out, c);
      }
}

/*
 * Transposed im2col: cols_t[(p,q,ch), n] = x[b, i*sh - pt + p, j*sw - pl + q, ch] with n = (b,i,j),
 * so the weight gradient is one plain matmul cols_t [kh*kw*c, N] x dy [N, cout]. Works in blocks
 * of 16 consecutive n (their source offsets, or -1 for padding, in `offs`: 16 ints of scratch) so
 * every row of cols_t is written in 64-byte runs; 4 pixels x 4 channels move as a 4x4 transpose.
 */
#define NB 16
static inline v4 ld_or0(const f32* x, int off, int ch) { return off >= 0 ? ld(x + off + ch) : splat(0); }

void EXPORT(im2col_t)(const f32* x, f32* cols, int* offs, int batch, int h, int w, int c, int ho, int wo, int kh, int kw,
                      int sh, int sw, int pt, int pl) {
  long n_all = (long)batch * ho * wo;
  for (int p = 0; p < kh; p++)
    for (int q = 0; q < kw; q++) {
      f32* tap = cols + (long)(p * kw + q) * c * n_all;
      for (long n0 = 0; n0 < n_all; n0 += NB) {
        int nb = n_all - n0 < NB ? (int)(n_all - n0) : NB;
        for (int k = 0; k < nb; k++) {
          long n = n0 + k;
          int j = (int)(n % wo), i = (int)((n / wo) % ho), b = (int)(n / ((long)wo * ho));
          int y = i * sh - pt + p, xx = j * sw - pl + q;
          offs[k] = (y < 0 || y >= h || xx < 0 || xx >= w) ? -1 : ((b * h + y) * w + xx) * c;
        }
        int ch = 0;
        if (nb == NB) {
          for (; ch + 4 <= c; ch += 4) {
            f32* d0 = tap + (long)ch * n_all + n0;
            f32* d1 = d0 + n_all;
            f32* d2 = d1 + n_all;
            f32* d3 = d2 + n_all;
            for (int k = 0; k < NB; k += 4) {
              v4 r0 = ld_or0(x, offs[k], ch), r1 = ld_or0(x, offs[k + 1], ch);
              v4 r2 = ld_or0(x, offs[k + 2], ch), r3 = ld_or0(x, offs[k + 3], ch);
              v4 t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
              v4 t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
              st(d0 + k, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
              st(d1 + k, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
              st(d2 + k, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
              st(d3 + k, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
            }
          }
        }
        for (; ch < c; ch++) {
          f32* d = tap + (long)ch * n_all + n0;
          for (int k = 0; k < nb; k++) d[k] = offs[k] >= 0 ? x[offs[k] + ch] : 0;
        }
      }
    }
}

/*
 * The sub-pixel transposed conv's last step: phases [b, hq, wq, s*s*c] (phase (ry, rx) in channel
 * block ry*s + rx) interleave to out[b, y, x, :] = phases[b, (y+pt)/s, (x+pl)/s, (((y+pt)%s)*s + (x+pl)%s)*c + :],
 * cropped to h x w from (pt, pl). One pass instead of reshape + transpose + slice.
 */
void EXPORT(interleave_crop)(const f32* phases, f32* out, int batch, int hq, int wq, int s, int c, int h, int w, int pt,
                             int pl) {
  for (int b = 0; b < batch; b++)
    for (int y = 0; y < h; y++) {
      int yy = y + pt, qy = yy / s, ry = yy % s;
      for (int x = 0; x < w; x++) {
        int xx = x + pl, qx = xx / s, rx = xx % s;
        const f32* src = phases + ((long)(b * hq + qy) * wq + qx) * s * s * c + (ry * s + rx) * c;
        f32* dst = out + ((long)(b * h + y) * w + x) * c;
        copy(dst, src, c);
      }
    }
}

/*
 * One Adam update of n parameters (Kingma & Ba, Alg. 1, bias correction folded into alpha), in the
 * same float32 operation order as the stock-op version in train/adam.ts:
 *   m' = m*b1 + g*(1-b1);  v' = v*b2 + g^2*(1-b2);  p' = p - (m'*alpha) / (sqrt(v') + eps)
 */
void EXPORT(adam)(const f32* p, const f32* g, const f32* m, const f32* v, f32* p2, f32* m2, f32* v2, int n, f32 b1,
                  f32 one_minus_b1, f32 b2, f32 one_minus_b2, f32 alpha, f32 eps) {
  v4 vb1 = splat(b1), vc1 = splat(one_minus_b1), vb2 = splat(b2), vc2 = splat(one_minus_b2);
  v4 va = splat(alpha), ve = splat(eps);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v4 gv = ld(g + i);
    v4 mv = wasm_f32x4_add(wasm_f32x4_mul(ld(m + i), vb1), wasm_f32x4_mul(gv, vc1));
    v4 vv = wasm_f32x4_add(wasm_f32x4_mul(ld(v + i), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gv, gv), vc2));
    v4 step = wasm_f32x4_div(wasm_f32x4_mul(mv, va), wasm_f32x4_add(wasm_f32x4_sqrt(vv), ve));
    st(m2 + i, mv);
    st(v2 + i, vv);
    st(p2 + i, wasm_f32x4_sub(ld(p + i), step));
  }
  for (; i < n; i++) {
    f32 mv = m[i] * b1 + g[i] * one_minus_b1;
    f32 vv = v[i] * b2 + (g[i] * g[i]) * one_minus_b2;
    m2[i] = mv;
    v2[i] = vv;
    p2[i] = p[i] - (mv * alpha) / (__builtin_sqrtf(vv) + eps);
  }
}

/* dst[cols x rows] = transpose of src[rows x cols], in 4x4 SIMD blocks (scalar edges). */
static void transpose_block(const f32* src, f32* dst, int rows, int cols, long src_stride, long dst_stride) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      const f32* s = src + r * src_stride + c;
      v4 r0 = ld(s), r1 = ld(s + src_stride), r2 = ld(s + 2 * src_stride), r3 = ld(s + 3 * src_stride);
      v4 t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      v4 t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      f32* d = dst + c * dst_stride + r;
      st(d, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
      st(d + dst_stride, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
      st(d + 2 * dst_stride, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
      st(d + 3 * dst_stride, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
    }
    for (; c < cols; c++)
      for (int k = 0; k < 4; k++) dst[c * dst_stride + r + k] = src[(r + k) * src_stride + c];
  }
  for (; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[c * dst_stride + r] = src[r * src_stride + c];
}

/* Batched 2D transpose: for each of `batch` matrices, dst [cols x rows] = src [rows x cols]^T. */
void EXPORT(transpose2d)(const f32* src, f32* dst, int batch, int rows, int cols) {
  long size = (long)rows * cols;
  for (int b = 0; b < batch; b++) {
    /* 64x64 tiles keep both the read and the written rows in L1. */
    for (int r0 = 0; r0 < rows; r0 += 64)
      for (int c0 = 0; c0 < cols; c0 += 64) {
        int nr = rows - r0 < 64 ? rows - r0 : 64, nc = cols - c0 < 64 ? cols - c0 : 64;
        transpose_block(src + b * size + (long)r0 * cols + c0, dst + b * size + (long)c0 * rows + r0, nr, nc, cols, rows);
      }
  }
}

/*
 * Sub-pixel ("phase") filter of a transposed conv: the taps of w [kh, kw, ci, co] that reach the
 * output pixels of phase (ry, rx), as a stride-1 conv filter f [jy, jx, co, ci] with
 * f[a, b] = w[ry + s*(jy-1-a), rx + s*(jx-1-b)]^T (so it convolves dy [.., co] into dx [.., ci]).
 */
void EXPORT(pack_phase_filter)(const f32* w, f32* f, int kh, int kw, int ci, int co, int s, int ry, int rx, int jy, int jx) {
  for (int a = 0; a < jy; a++)
    for (int b = 0; b < jx; b++) {
      int ky = ry + s * (jy - 1 - a), kx = rx + s * (jx - 1 - b);
      f32* dst = f + (long)(a * jx + b) * co * ci;
      if (ky >= kh || kx >= kw) {
        zero(dst, co * ci);
        continue;
      }
      transpose_block(w + (long)(ky * kw + kx) * ci * co, dst, ci, co, co, ci);
    }
}

/*
 * Writes one phase's conv output phase [batch, prow, pcol, c] (rows t < nqy, cols u < nqx used)
 * into dx [batch, h, w, c] at y = (q0y + t)*s + ry - pt, x = (q0x + u)*s + rx - pl.
 */
void EXPORT(scatter_phase)(const f32* phase, f32* dx, int batch, int prow, int pcol, int c, int nqy, int nqx, int q0y,
                           int q0x, int s, int ry, int rx, int pt, int pl, int h, int w) {
  for (int b = 0; b < batch; b++)
    for (int t = 0; t < nqy; t++) {
      int y = (q0y + t) * s + ry - pt;
      const f32* src = phase + ((long)(b * prow + t) * pcol) * c;
      f32* dst = dx + ((long)(b * h + y) * w) * c;
      for (int u = 0; u < nqx; u++) {
        int x = (q0x + u) * s + rx - pl;
        const f32* sp = src + (long)u * c;
        f32* dp = dst + (long)x * c;
        copy(dp, sp, c);
      }
    }
}

/*
 * tanh as Eigen's float rational approximation (odd degree-13 numerator over even degree-6
 * denominator on |x| <= 7.9053, where tanh rounds to +-1; error a few ulp).
 */
static inline v4 tanh4(v4 x) {
  const v4 lim = splat(7.90531110763549805f);
  x = wasm_f32x4_pmax(wasm_f32x4_pmin(x, lim), wasm_f32x4_neg(lim));
  v4 x2 = wasm_f32x4_mul(x, x);
  v4 p = splat(-2.76076847742355e-16f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), splat(2.00018790482477e-13f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), splat(-8.60467152213735e-11f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), splat(5.12229709037114e-08f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), splat(1.48572235717979e-05f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), splat(6.37261928875436e-04f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), splat(4.89352455891786e-03f));
  p = wasm_f32x4_mul(p, x);
  v4 q = splat(1.19825839466702e-06f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, x2), splat(1.18534705686654e-04f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, x2), splat(2.26843463243900e-03f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, x2), splat(4.89352518554385e-03f));
  return wasm_f32x4_div(p, q);
}

/* y = act(x) over n elements (0 none, 1 relu, 2 leaky relu, 3 tanh). */
void EXPORT(act_forward)(const f32* x, f32* y, int n, int act, f32 slope) {
  v4 vslope = splat(slope);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v4 v = ld(x + i);
    if (act == 3) v = tanh4(v);
    else if (act != 0) v = wasm_f32x4_mul(v, mask4(v, act, vslope));
    st(y + i, v);
  }
  for (; i < n; i++) {
    if (act == 3) {
      v4 v = tanh4(splat(x[i]));
      y[i] = wasm_f32x4_extract_lane(v, 0);
    } else {
      y[i] = x[i] * mask1(x[i], act, slope);
    }
  }
}

/*
 * im2col: cols[(b,i,j), (p,q,ch)] = x[b, i*sh - pt + p, j*sw - pl + q, ch] (0 in the padding), so a
 * conv is one matmul cols [B*ho*wo, kh*kw*c] x w [kh*kw*c, cout] with the filter as it is stored
 * (tfjs' wasm Conv2D first re-lays out every new filter in a slow generic transpose, ~5 ms/MB).
 */
void EXPORT(im2col)(const f32* x, f32* cols, int batch, int h, int w, int c, int ho, int wo, int kh, int kw, int sh,
                    int sw, int pt, int pl) {
  f32* dst = cols;
  for (int b = 0; b < batch; b++)
    for (int i = 0; i < ho; i++)
      for (int j = 0; j < wo; j++)
        for (int p = 0; p < kh; p++) {
          int y = i * sh - pt + p;
          for (int q = 0; q < kw; q++, dst += c) {
            int xx = j * sw - pl + q;
            if (y < 0 || y >= h || xx < 0 || xx >= w) {
              zero(dst, c);
              continue;
            }
            const f32* src = x + ((long)(b * h + y) * w + xx) * c;
            copy(dst, src, c);
          }
        }
}

/*
 * Winograd F(2x2, 2x2) for convolutions with 2x2 taps at stride 1 (Lavin & Gray 2016): a 2x2
 * output tile from a 3x3 input tile takes 9 products per channel pair instead of 16, so the GEMMs
 * do 9/16 of the work. The transforms use only 0 and +-1 (no rounding beyond a few additions):
 *   B^T = [1 -1 0; 0 1 0; 0 -1 1],  G = [1 0; 1 1; 0 1],  A^T = [1 1 0; 0 1 1].
 * The conv runs over a "virtual" image whose pixel (Y, X) is the s x s block of real pixels
 * (Y*s + oy + ry, X*s + ox + rx), channels ordered (ry, rx, ch): with s = 2 a 4x4 stride-2 conv
 * is a 2x2 stride-1 conv over this space-to-depth image; with s = 1 the image is x shifted by
 * (oy, ox) (a phase conv of a transposed conv). The 9 transformed planes are separate tensors
 * (`planes`: 9 heap offsets), so each product is one plain matmul.
 */

/* The 3-point transforms along one axis, on 4 lanes. */
static inline void bt3(v4 d0, v4 d1, v4 d2, v4* o) {
  o[0] = wasm_f32x4_sub(d0, d1);
  o[1] = d1;
  o[2] = wasm_f32x4_sub(d2, d1);
}
static inline void g3(v4 g0, v4 g1, v4* o) {
  o[0] = g0;
  o[1] = wasm_f32x4_add(g0, g1);
  o[2] = g1;
}

/* 4 channels (lanes == 4) or one (lanes == 1, in lane 0) from x at a heap offset, 0 for -1. */
static inline v4 ld_lanes(const f32* x, int off, int ch, int lanes) {
  if (off < 0) return splat(0);
  return lanes == 4 ? ld(x + off + ch) : splat(x[off + ch]);
}
static inline void st_lanes(f32* p, v4 v, int lanes) {
  if (lanes == 4) st(p, v);
  else *p = wasm_f32x4_extract_lane(v, 0);
}

/* Every output tile t = (b, ty, tx) in order; `t` counts them (declared by the caller). */
#define FOR_TILES                        \
  for (int b = 0; b < batch; b++)        \
    for (int ty = 0; ty < tiles_y; ty++) \
      for (int tx = 0; tx < tiles_x; tx++, t++)

/* planes[e][at + 0..lanes) for e < count into m[] (count a constant where it is inlined). */
static inline void ld_planes(f32* const* planes, int count, long at, int lanes, v4* m) {
  for (int e = 0; e < count; e++) m[e] = lanes == 4 ? ld(planes[e] + at) : splat(planes[e][at]);
}

/* B^T d B of the 3x3 tile offs[] (channels ch.., `lanes` of them) into planes[e] + dst. */
static inline void wino_input_tile(const f32* x, const int* offs, int ch, f32* const* planes, long dst, int lanes) {
  v4 r[9], o[3];
  for (int v = 0; v < 3; v++) {
    bt3(ld_lanes(x, offs[v], ch, lanes), ld_lanes(x, offs[3 + v], ch, lanes), ld_lanes(x, offs[6 + v], ch, lanes), o);
    r[v] = o[0];
    r[3 + v] = o[1];
    r[6 + v] = o[2];
  }
  for (int i = 0; i < 3; i++) {
    bt3(r[3 * i], r[3 * i + 1], r[3 * i + 2], o);
    for (int j = 0; j < 3; j++) st_lanes(planes[3 * i + j] + dst, o[j], lanes);
  }
}

/*
 * Input transform (the loop of both tile sizes; TILE: wino_input_tile or wino4_input_tile, M its
 * output tile side). Tile t = (b, ty, tx) reads virtual pixels (M*ty + u, M*tx + v), u, v <= M
 * (zero outside x); planes[(M+1)i + j][t * vc + vch] = (B^T d B)[i][j], vc = s*s*c. offs: (M+1)^2
 * ints of scratch. A macro rather than a function so each tile size keeps its own unrolled code.
 */
#define WINO_INPUT_LOOP(M, TILE)                                                                          \
  int vc = s * s * c, n = (M) + 1;                                                                        \
  long t = 0;                                                                                             \
  for (int b = 0; b < batch; b++)                                                                         \
    for (int ty = 0; ty < tiles_y; ty++)                                                                  \
      for (int tx = 0; tx < tiles_x; tx++, t++)                                                           \
        for (int ry = 0; ry < s; ry++)                                                                    \
          for (int rx = 0; rx < s; rx++) {                                                                \
            for (int u = 0; u < n; u++)                                                                   \
              for (int v = 0; v < n; v++) {                                                               \
                int y = ((M) * ty + u) * s + oy + ry, xx = ((M) * tx + v) * s + ox + rx;                  \
                offs[n * u + v] = (y < 0 || y >= h || xx < 0 || xx >= w) ? -1 : ((b * h + y) * w + xx) * c; \
              }                                                                                           \
            long dst = t * vc + (ry * s + rx) * c;                                                        \
            int ch = 0;                                                                                   \
            for (; ch + 4 <= c; ch += 4) TILE(x, offs, ch, planes, dst + ch, 4);                          \
            for (; ch < c; ch++) TILE(x, offs, ch, planes, dst + ch, 1);                                  \
          }

void EXPORT(wino_input)(const f32* x, f32* const* planes, int* offs, int batch, int h, int w, int c, int s, int oy,
                        int ox, int tiles_y, int tiles_x) {
  WINO_INPUT_LOOP(2, wino_input_tile)
}

/* G g G^T of the 2x2 taps g0 g1 / g2 g3 (row-major) into planes[e] + dst. */
static inline void wino_g_tile(v4 g0, v4 g1, v4 g2, v4 g3v, f32* const* planes, long dst, int lanes) {
  v4 o[3], r[6];
  g3(g0, g2, o); /* along rows */
  r[0] = o[0], r[2] = o[1], r[4] = o[2];
  g3(g1, g3v, o);
  r[1] = o[0], r[3] = o[1], r[5] = o[2];
  for (int i = 0; i < 3; i++) { /* along columns */
    g3(r[2 * i], r[2 * i + 1], o);
    for (int j = 0; j < 3; j++) st_lanes(planes[3 * i + j] + dst, o[j], lanes);
  }
}

static inline v4 ld_ptr(const f32* p, long k, int lanes) { return p ? (lanes == 4 ? ld(p + k) : splat(p[k])) : splat(0); }

/*
 * Filter transform: G g G^T of the 2x2 virtual filter g[a][b][(ry, rx, ci)][co] = w[a*s + ry,
 * b*s + rx, ci, co] (0 past the kernel) into planes[e][((ry*s + rx)*cin + ci)*cout + co].
 */
static inline const f32* filter_tap(const f32* w, int a, int b, int ry, int rx, int s, int kh, int kw, long n) {
  int ky = a * s + ry, kx = b * s + rx;
  return (ky < kh && kx < kw) ? w + (long)(ky * kw + kx) * n : 0;
}

/* The filter transform's loop (TILE: wino_g_tile or wino4_g_tile); a macro for the same reason as above. */
#define WINO_FILTER_LOOP(TILE)                                                                                \
  long n = (long)cin * cout;                                                                                  \
  for (int ry = 0; ry < s; ry++)                                                                              \
    for (int rx = 0; rx < s; rx++) {                                                                          \
      const f32* g0 = filter_tap(w, 0, 0, ry, rx, s, kh, kw, n);                                              \
      const f32* g1 = filter_tap(w, 0, 1, ry, rx, s, kh, kw, n);                                              \
      const f32* g2 = filter_tap(w, 1, 0, ry, rx, s, kh, kw, n);                                              \
      const f32* g3p = filter_tap(w, 1, 1, ry, rx, s, kh, kw, n);                                             \
      long dst = (long)(ry * s + rx) * n;                                                                     \
      long k = 0;                                                                                             \
      for (; k + 4 <= n; k += 4) TILE(ld_ptr(g0, k, 4), ld_ptr(g1, k, 4), ld_ptr(g2, k, 4), ld_ptr(g3p, k, 4), planes, dst + k, 4); \
      for (; k < n; k++) TILE(ld_ptr(g0, k, 1), ld_ptr(g1, k, 1), ld_ptr(g2, k, 1), ld_ptr(g3p, k, 1), planes, dst + k, 1);         \
    }

void EXPORT(wino_filter)(const f32* w, f32* const* planes, int kh, int kw, int cin, int cout, int s) {
  WINO_FILTER_LOOP(wino_g_tile)
}

/*
 * The output gradient's side of a weight gradient: tile t = (b, ty, tx) of dy [batch, ho, wo, c]
 * (the 2x2 pixels from (2ty, 2tx), zero outside) as G g G^T into planes[e][t * c + ch].
 */
void EXPORT(wino_tiles)(const f32* dy, f32* const* planes, int batch, int ho, int wo, int c, int tiles_y, int tiles_x) {
  long t = 0;
  FOR_TILES {
        int y = 2 * ty, x = 2 * tx;
        const f32* p = dy + ((long)(b * ho + y) * wo + x) * c;
        const f32* g0 = p;
        const f32* g1 = x + 1 < wo ? p + c : 0;
        const f32* g2 = y + 1 < ho ? p + (long)wo * c : 0;
        const f32* g3p = (g1 && g2) ? p + (long)(wo + 1) * c : 0;
        long dst = t * c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) wino_g_tile(ld_ptr(g0, ch, 4), ld_ptr(g1, ch, 4), ld_ptr(g2, ch, 4), ld_ptr(g3p, ch, 4), planes, dst + ch, 4);
        for (; ch < c; ch++) wino_g_tile(ld_ptr(g0, ch, 1), ld_ptr(g1, ch, 1), ld_ptr(g2, ch, 1), ld_ptr(g3p, ch, 1), planes, dst + ch, 1);
      }
}

/*
 * A weight gradient's output transform: planes[e] [s*s*cin, cout] (summed over tiles) to
 * dw[a*s + ry, b*s + rx, ci, co] = (A^T M A)[a][b][(ry, rx, ci)][co] for the taps inside the kernel.
 */
void EXPORT(wino_filter_grad)(f32* const* planes, f32* dw, int kh, int kw, int cin, int cout, int s) {
  long n = (long)cin * cout;
  for (int ry = 0; ry < s; ry++)
    for (int rx = 0; rx < s; rx++) {
      long src = (long)(ry * s + rx) * n;
      f32* d00 = dw + (long)(ry * kw + rx) * n;
      int down = s + ry < kh, right = s + rx < kw;
      f32* d01 = d00 + (long)s * n;
      f32* d10 = d00 + (long)s * kw * n;
      f32* d11 = d10 + (long)s * n;
      for (long k = 0; k < n; k += 4) {
        int lanes = n - k >= 4 ? 4 : 1;
        v4 m[9], p[6];
        ld_planes(planes, 9, src + k, lanes, m);
        for (int v = 0; v < 3; v++) {
          p[v] = wasm_f32x4_add(m[v], m[3 + v]);
          p[3 + v] = wasm_f32x4_add(m[3 + v], m[6 + v]);
        }
        st_lanes(d00 + k, wasm_f32x4_add(p[0], p[1]), lanes);
        if (right) st_lanes(d01 + k, wasm_f32x4_add(p[1], p[2]), lanes);
        if (down) {
          st_lanes(d10 + k, wasm_f32x4_add(p[3], p[4]), lanes);
          if (right) st_lanes(d11 + k, wasm_f32x4_add(p[4], p[5]), lanes);
        }
        if (lanes == 1) k -= 3;
      }
    }
}

/*
 * Output transform: conv output (Y, X) = (2ty + i, 2tx + j) of tile t is (A^T M A)[i][j] from
 * planes[e][t * c + ch]; rows Y < ny and columns X < nx are written to y [batch, h, w, c] at
 * (Y*os + oy, X*os + ox) (os = 1: a plain conv output; os = s: a phase of a transposed conv).
 */
void EXPORT(wino_output)(f32* const* planes, f32* y, int batch, int tiles_y, int tiles_x, int c, int ny, int nx, int os,
                         int oy, int ox, int h, int w) {
  long t = 0;
  FOR_TILES {
        int two_rows = ny - 2 * ty >= 2, two_cols = nx - 2 * tx >= 2;
        f32* d0 = y + ((long)(b * h + 2 * ty * os + oy) * w + 2 * tx * os + ox) * c;
        f32* d1 = d0 + (long)os * w * c; /* the tile's second row */
        long right = (long)os * c;     /* its second column */
        for (int ch = 0; ch < c; ch += 4) {
          int lanes = c - ch >= 4 ? 4 : 1;
          v4 m[9], p[6];
          ld_planes(planes, 9, t * c + ch, lanes, m);
          for (int v = 0; v < 3; v++) {
            p[v] = wasm_f32x4_add(m[v], m[3 + v]);
            p[3 + v] = wasm_f32x4_add(m[3 + v], m[6 + v]);
          }
          st_lanes(d0 + ch, wasm_f32x4_add(p[0], p[1]), lanes);
          if (two_cols) st_lanes(d0 + right + ch, wasm_f32x4_add(p[1], p[2]), lanes);
          if (two_rows) {
            st_lanes(d1 + ch, wasm_f32x4_add(p[3], p[4]), lanes);
            if (two_cols) st_lanes(d1 + right + ch, wasm_f32x4_add(p[4], p[5]), lanes);
          }
          if (lanes == 1) ch -= 3;
        }
      }
}

/*
 * Winograd F(4x4, 2x2): 25 products per 4x4 output tile instead of 64 (F(2x2, 2x2): 36), for maps
 * large enough that 4x4 tiles waste little. Points 0, 1, -1, 1/2 and infinity (the most accurate
 * choice for 5 points measured: float32 error ~2e-6 of the largest output over 256 channels,
 * against ~4e-7 for F(2x2, 2x2)); the same virtual-image addressing as above, tiles of 5x5 inputs.
 *   B^T = [1 -2 -1 2 0; 0 -1/2 1/2 1 0; 0 -1/6 1/2 -1/3 0; 0 8/3 0 -8/3 0; 0 1/2 -1 -1/2 1]
 *   G = [1 0; 1 1; 1 -1; 1 1/2; 0 1],  A^T = [1 1 1 1 0; 0 1 -1 1/2 0; 0 1 1 1/4 0; 0 1 -1 1/8 1]
 */
static inline v4 mad(v4 acc, v4 a, f32 k) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, splat(k))); }

static inline void bt5(v4 d0, v4 d1, v4 d2, v4 d3, v4 d4, v4* o) {
  o[0] = wasm_f32x4_add(wasm_f32x4_sub(d0, d2), wasm_f32x4_mul(wasm_f32x4_sub(d3, d1), splat(2)));
  o[1] = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(d2, d1), splat(0.5f)), d3);
  o[2] = mad(mad(wasm_f32x4_mul(d1, splat(-1.0f / 6)), d2, 0.5f), d3, -1.0f / 3);
  o[3] = wasm_f32x4_mul(wasm_f32x4_sub(d1, d3), splat(8.0f / 3));
  o[4] = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(wasm_f32x4_sub(d1, d3), splat(0.5f)), d2), d4);
}

static inline void g5(v4 g0, v4 g1, v4* o) {
  o[0] = g0;
  o[1] = wasm_f32x4_add(g0, g1);
  o[2] = wasm_f32x4_sub(g0, g1);
  o[3] = mad(g0, g1, 0.5f);
  o[4] = g1;
}

static inline void at5(v4 m0, v4 m1, v4 m2, v4 m3, v4 m4, v4* o) {
  v4 p = wasm_f32x4_add(m1, m2), q = wasm_f32x4_sub(m1, m2);
  o[0] = wasm_f32x4_add(wasm_f32x4_add(m0, p), m3);
  o[1] = mad(q, m3, 0.5f);
  o[2] = mad(p, m3, 0.25f);
  o[3] = wasm_f32x4_add(mad(q, m3, 0.125f), m4);
}

static inline void wino4_input_tile(const f32* x, const int* offs, int ch, f32* const* planes, long dst, int lanes) {
  v4 r[25], o[5];
  for (int v = 0; v < 5; v++) {
    bt5(ld_lanes(x, offs[v], ch, lanes), ld_lanes(x, offs[5 + v], ch, lanes), ld_lanes(x, offs[10 + v], ch, lanes),
        ld_lanes(x, offs[15 + v], ch, lanes), ld_lanes(x, offs[20 + v], ch, lanes), o);
    for (int i = 0; i < 5; i++) r[5 * i + v] = o[i];
  }
  for (int i = 0; i < 5; i++) {
    bt5(r[5 * i], r[5 * i + 1], r[5 * i + 2], r[5 * i + 3], r[5 * i + 4], o);
    for (int j = 0; j < 5; j++) st_lanes(planes[5 * i + j] + dst, o[j], lanes);
  }
}

/* As wino_input with 4x4 output tiles: tile t reads virtual pixels (4ty + u, 4tx + v), u, v < 5; 25 planes, offs: 25 ints. */
void EXPORT(wino4_input)(const f32* x, f32* const* planes, int* offs, int batch, int h, int w, int c, int s, int oy,
                         int ox, int tiles_y, int tiles_x) {
  WINO_INPUT_LOOP(4, wino4_input_tile)
}

static inline void wino4_g_tile(v4 g0, v4 g1, v4 g2, v4 g3v, f32* const* planes, long dst, int lanes) {
  v4 o[5], r[10];
  g5(g0, g2, o); /* along rows */
  for (int i = 0; i < 5; i++) r[2 * i] = o[i];
  g5(g1, g3v, o);
  for (int i = 0; i < 5; i++) r[2 * i + 1] = o[i];
  for (int i = 0; i < 5; i++) { /* along columns */
    g5(r[2 * i], r[2 * i + 1], o);
    for (int j = 0; j < 5; j++) st_lanes(planes[5 * i + j] + dst, o[j], lanes);
  }
}

/* As wino_filter, 25 planes. */
void EXPORT(wino4_filter)(const f32* w, f32* const* planes, int kh, int kw, int cin, int cout, int s) {
  WINO_FILTER_LOOP(wino4_g_tile)
}

/* As wino_output with 4x4 tiles (25 planes): outputs (4ty + i, 4tx + j), i, j < 4, inside (ny, nx). */
void EXPORT(wino4_output)(f32* const* planes, f32* y, int batch, int tiles_y, int tiles_x, int c, int ny, int nx, int os,
                          int oy, int ox, int h, int w) {
  long t = 0;
  FOR_TILES {
        int rows = ny - 4 * ty < 4 ? ny - 4 * ty : 4, cols = nx - 4 * tx < 4 ? nx - 4 * tx : 4;
        f32* d0 = y + ((long)(b * h + 4 * ty * os + oy) * w + 4 * tx * os + ox) * c;
        long down = (long)os * w * c, right = (long)os * c;
        for (int ch = 0; ch < c; ch += 4) {
          int lanes = c - ch >= 4 ? 4 : 1;
          v4 m[25], p[20], o[4];
          ld_planes(planes, 25, t * c + ch, lanes, m);
          for (int v = 0; v < 5; v++) { /* along rows: p[4i + .] = row i of A^T M, column v */
            at5(m[v], m[5 + v], m[10 + v], m[15 + v], m[20 + v], o);
            for (int i = 0; i < 4; i++) p[5 * i + v] = o[i];
          }
          for (int i = 0; i < rows; i++) {
            at5(p[5 * i], p[5 * i + 1], p[5 * i + 2], p[5 * i + 3], p[5 * i + 4], o);
            f32* row = d0 + i * down + ch;
            for (int j = 0; j < cols; j++) st_lanes(row + j * right, o[j], lanes);
          }
          if (lanes == 1) ch -= 3;
        }
      }
}

/*
 * c [m, n] = a [m, k] x b [k, n] for a small m x n and a long k: the weight gradient of a conv
 * with few input channels (im2col_t's patches times dy). XNNPACK packs all of b ([k, n]) on every
 * call first, which costs more than the products here (~55 ms for k = 65536, n = 64). Blocks of 3
 * rows x 16 columns (12 accumulators) over chunks of KC values of k, so a chunk of a and b stays
 * in the L2 cache while every block passes over it. n must be a multiple of 16 (the caller checks).
 */
#define KC 1024
void EXPORT(gemm_small_mn)(const f32* a, const f32* b, f32* c, int m, int k, int n) {
  zero(c, m * n);
  for (int k0 = 0; k0 < k; k0 += KC) {
    int k1 = k0 + KC < k ? k0 + KC : k;
    for (int j = 0; j < n; j += 16)
      for (int i = 0; i < m; i += 3) {
        int rows = m - i < 3 ? m - i : 3;
        const f32* a0 = a + (long)i * k;
        const f32* a1 = rows > 1 ? a0 + k : a0;
        const f32* a2 = rows > 2 ? a0 + 2 * (long)k : a0;
        f32* c0 = c + (long)i * n + j;
        v4 s00 = splat(0), s01 = splat(0), s02 = splat(0), s03 = splat(0);
        v4 s10 = splat(0), s11 = splat(0), s12 = splat(0), s13 = splat(0);
        v4 s20 = splat(0), s21 = splat(0), s22 = splat(0), s23 = splat(0);
        for (int kk = k0; kk < k1; kk++) {
          const f32* br = b + (long)kk * n + j;
          v4 b0 = ld(br), b1 = ld(br + 4), b2 = ld(br + 8), b3 = ld(br + 12);
          v4 x0 = splat(a0[kk]), x1 = splat(a1[kk]), x2 = splat(a2[kk]);
          s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x0, b0));
          s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x0, b1));
          s02 = wasm_f32x4_add(s02, wasm_f32x4_mul(x0, b2));
          s03 = wasm_f32x4_add(s03, wasm_f32x4_mul(x0, b3));
          s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x1, b0));
          s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x1, b1));
          s12 = wasm_f32x4_add(s12, wasm_f32x4_mul(x1, b2));
          s13 = wasm_f32x4_add(s13, wasm_f32x4_mul(x1, b3));
          s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(x2, b0));
          s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(x2, b1));
          s22 = wasm_f32x4_add(s22, wasm_f32x4_mul(x2, b2));
          s23 = wasm_f32x4_add(s23, wasm_f32x4_mul(x2, b3));
        }
        /* Each chunk's sums join the total: blocked summation, as BLOCK above. */
        st(c0, wasm_f32x4_add(ld(c0), s00)), st(c0 + 4, wasm_f32x4_add(ld(c0 + 4), s01));
        st(c0 + 8, wasm_f32x4_add(ld(c0 + 8), s02)), st(c0 + 12, wasm_f32x4_add(ld(c0 + 12), s03));
        if (rows > 1) {
          f32* c1 = c0 + n;
          st(c1, wasm_f32x4_add(ld(c1), s10)), st(c1 + 4, wasm_f32x4_add(ld(c1 + 4), s11));
          st(c1 + 8, wasm_f32x4_add(ld(c1 + 8), s12)), st(c1 + 12, wasm_f32x4_add(ld(c1 + 12), s13));
        }
        if (rows > 2) {
          f32* c2 = c0 + 2 * n;
          st(c2, wasm_f32x4_add(ld(c2), s20)), st(c2 + 4, wasm_f32x4_add(ld(c2 + 4), s21));
          st(c2 + 8, wasm_f32x4_add(ld(c2 + 8), s22)), st(c2 + 12, wasm_f32x4_add(ld(c2 + 12), s23));
        }
      }
  }
}

/*
 * c [m, n] = a [m, k] x b [k, n]: the products of the Winograd planes (winograd.ts). XNNPACK packs
 * each new b before multiplying, through a transposing copy (~2-3 ns a float, measured), and a
 * Winograd conv's b are new transformed filters every step: work that does not shrink with the
 * batch, so it weighs most on a data-parallel worker's slice.
 * Here each 8-column strip of b is copied, GEMM_KC rows at a time, into `strip` (contiguous, so it
 * stays in the L1 cache), and blocks of 6 rows of a x 8 columns (12 accumulators, as XNNPACK's
 * 6x8 kernels) run over it. n must be a multiple of 8 (the caller checks); rows past m are
 * computed on a copy of the last row and not stored. strip: GEMM_KC * 8 floats of scratch.
 */
#define GEMM_KC 256
static inline v4 add(v4 a, v4 b) { return wasm_f32x4_add(a, b); }
static inline v4 mul(v4 a, v4 b) { return wasm_f32x4_mul(a, b); }

/* Lane l of v in all four lanes. */
#define LANE(v, l) wasm_i32x4_shuffle(v, v, l, l, l, l)
/* One value of k: the 8 floats of strip row kk times a's 6 rows at k (lane l of va0..va5). */
#define GEMM_STEP(l, br)                                            \
  do {                                                              \
    v4 b0 = ld(br), b1 = ld((br) + 4), x;                           \
    x = LANE(va0, l), s00 = add(s00, mul(x, b0)), s01 = add(s01, mul(x, b1)); \
    x = LANE(va1, l), s10 = add(s10, mul(x, b0)), s11 = add(s11, mul(x, b1)); \
    x = LANE(va2, l), s20 = add(s20, mul(x, b0)), s21 = add(s21, mul(x, b1)); \
    x = LANE(va3, l), s30 = add(s30, mul(x, b0)), s31 = add(s31, mul(x, b1)); \
    x = LANE(va4, l), s40 = add(s40, mul(x, b0)), s41 = add(s41, mul(x, b1)); \
    x = LANE(va5, l), s50 = add(s50, mul(x, b0)), s51 = add(s51, mul(x, b1)); \
  } while (0)

/*
 * c[:, j..j+8] (+)= a[:, k0..k1] x strip, strip = b[k0..k1, j..j+8] packed 8 floats a row. a is
 * read 4 values of k at a time and each value spread to all lanes by a shuffle (as XNNPACK's
 * "splat" kernels): one load per row per 4 steps instead of a load and a splat per step.
 */
static void gemm_6x8(const f32* a, const f32* strip, f32* c, int m, int k, int n, int k0, int k1, int j, int first) {
  for (int i = 0; i < m; i += 6) {
    const f32* a0 = a + (long)i * k;
    const f32* a1 = a + (long)(i + 1 < m ? i + 1 : m - 1) * k;
    const f32* a2 = a + (long)(i + 2 < m ? i + 2 : m - 1) * k;
    const f32* a3 = a + (long)(i + 3 < m ? i + 3 : m - 1) * k;
    const f32* a4 = a + (long)(i + 4 < m ? i + 4 : m - 1) * k;
    const f32* a5 = a + (long)(i + 5 < m ? i + 5 : m - 1) * k;
    v4 s00 = splat(0), s01 = splat(0), s10 = splat(0), s11 = splat(0), s20 = splat(0), s21 = splat(0);
    v4 s30 = splat(0), s31 = splat(0), s40 = splat(0), s41 = splat(0), s50 = splat(0), s51 = splat(0);
    const f32* br = strip;
    int kk = k0;
    for (; kk + 4 <= k1; kk += 4, br += 32) {
      v4 va0 = wasm_v128_load(a0 + kk), va1 = wasm_v128_load(a1 + kk), va2 = wasm_v128_load(a2 + kk);
      v4 va3 = wasm_v128_load(a3 + kk), va4 = wasm_v128_load(a4 + kk), va5 = wasm_v128_load(a5 + kk);
      GEMM_STEP(0, br);
      GEMM_STEP(1, br + 8);
      GEMM_STEP(2, br + 16);
      GEMM_STEP(3, br + 24);
    }
    for (; kk < k1; kk++, br += 8) {
      v4 va0 = splat(a0[kk]), va1 = splat(a1[kk]), va2 = splat(a2[kk]);
      v4 va3 = splat(a3[kk]), va4 = splat(a4[kk]), va5 = splat(a5[kk]);
      GEMM_STEP(0, br);
    }
    v4 s[12] = {s00, s01, s10, s11, s20, s21, s30, s31, s40, s41, s50, s51};
    for (int r = 0; r < 6 && i + r < m; r++) {
      f32* cr = c + (long)(i + r) * n + j;
      if (first) st(cr, s[2 * r]), st(cr + 4, s[2 * r + 1]);
      else st(cr, add(ld(cr), s[2 * r])), st(cr + 4, add(ld(cr + 4), s[2 * r + 1]));
    }
  }
}

/* strip = b[k0..k1, j..j+8], 8 floats a row. */
static inline void copy_strip(const f32* b, f32* strip, int n, int k0, int k1, int j) {
  const f32* src = b + (long)k0 * n + j;
  for (int kk = k0; kk < k1; kk++, src += n, strip += 8) st(strip, ld(src)), st(strip + 4, ld(src + 4));
}

void EXPORT(gemm)(const f32* a, const f32* b, f32* c, f32* strip, int m, int k, int n) {
  for (int k0 = 0; k0 < k; k0 += GEMM_KC) {
    int k1 = k0 + GEMM_KC < k ? k0 + GEMM_KC : k;
    for (int j = 0; j < n; j += 8) {
      copy_strip(b, strip, n, k0, k1, j);
      gemm_6x8(a, strip, c, m, k, n, k0, k1, j, k0 == 0);
    }
  }
}
