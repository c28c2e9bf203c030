// Labelling and percolation: hand-made cases with known answers, and random
// fields against a naive label-propagation oracle.

#include <scalebridge/microstructure/connectivity.h>
#include <scalebridge/microstructure/generators.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>

using namespace scalebridge::microstructure;

namespace
{
  /// 2D field from rows of characters, row 0 at y = 0; '#' is phase 1.
  Microstructure
  picture(const std::vector<std::string> &rows)
  {
    const unsigned nx = rows[0].size(), ny = rows.size();
    Microstructure m(2, {{nx, ny, 1}});
    for (unsigned j = 0; j < ny; ++j)
      for (unsigned i = 0; i < nx; ++i)
        m.set_phase(i, j, 0, rows[j][i] == '#' ? 1 : 0);
    return m;
  }

  /// Components by repeated min-label propagation until nothing changes:
  /// slow but obviously right.
  std::vector<long>
  naive_labels(const Microstructure       &m,
               const std::vector<PhaseId> &set,
               bool                        periodic)
  {
    const auto        n = m.n_voxels();
    std::vector<long> label(m.n_total_voxels(), -1);
    const auto        in = [&](std::size_t v) {
      return std::find(set.begin(), set.end(), m.data()[v]) != set.end();
    };
    for (std::size_t v = 0; v < label.size(); ++v)
      if (in(v))
        label[v] = long(v);
    for (bool changed = true; changed;)
      {
        changed = false;
        for (unsigned k = 0; k < n[2]; ++k)
          for (unsigned j = 0; j < n[1]; ++j)
            for (unsigned i = 0; i < n[0]; ++i)
              {
                const std::size_t v = m.index(i, j, k);
                if (label[v] < 0)
                  continue;
                for (unsigned d = 0; d < m.dimension(); ++d)
                  {
                    unsigned c[3] = {i, j, k};
                    if (c[d] + 1 == n[d])
                      {
                        if (!periodic)
                          continue;
                        c[d] = 0;
                      }
                    else
                      ++c[d];
                    const std::size_t w = m.index(c[0], c[1], c[2]);
                    if (label[w] >= 0 && label[w] != label[v])
                      {
                        label[v] = label[w] = std::min(label[v], label[w]);
                        changed             = true;
                      }
                  }
              }
      }
    return label;
  }

  /// Same partition of the voxels, up to renaming of the components.
  void
  expect_same_partition(const std::vector<std::int32_t> &a,
                        const std::vector<long>         &b)
  {
    ASSERT_EQ(a.size(), b.size());
    std::map<long, long> ab, ba;
    for (std::size_t v = 0; v < a.size(); ++v)
      {
        ASSERT_EQ(a[v] < 0, b[v] < 0) << v;
        if (a[v] < 0)
          continue;
        const auto [i, new_a] = ab.emplace(a[v], b[v]);
        const auto [j, new_b] = ba.emplace(b[v], a[v]);
        ASSERT_EQ(i->second, b[v]) << v;
        ASSERT_EQ(j->second, a[v]) << v;
      }
  }

  Microstructure
  random_field(unsigned dim, std::array<unsigned, 3> n, unsigned seed)
  {
    Microstructure  m(dim, n);
    std::mt19937_64 engine(seed);
    for (PhaseId &p : m.data())
      p = static_cast<PhaseId>(engine() % 3);
    return m;
  }
  /**
   * Wrapping by breadth-first search in the unfolded periodic medium: every
   * voxel reached gets the period (cell index) of the copy it was reached
   * in; reaching a voxel again in another period gives a winding vector.
   * Independent of the union-find over box components in the library.
   */
  std::vector<std::array<bool, 3>>
  unfolded_wraps(const Microstructure &m, const Components &periodic)
  {
    const auto                       n = m.n_voxels();
    std::vector<std::array<int, 3>>  cell(m.n_total_voxels());
    std::vector<bool>                seen(m.n_total_voxels(), false);
    std::vector<std::array<bool, 3>> wraps(periodic.n_components(),
                                           {{false, false, false}});
    std::vector<std::size_t>         queue;
    for (std::size_t start = 0; start < seen.size(); ++start)
      {
        if (periodic.labels[start] < 0 || seen[start])
          continue;
        const auto c = periodic.labels[start];
        seen[start]  = true;
        cell[start]  = {{0, 0, 0}};
        queue        = {start};
        for (std::size_t q = 0; q < queue.size(); ++q)
          {
            const std::size_t v    = queue[q];
            const unsigned    x[3] = {unsigned(v % n[0]),
                                      unsigned(v / n[0] % n[1]),
                                      unsigned(v / (std::size_t(n[0]) * n[1]))};
            for (unsigned d = 0; d < m.dimension(); ++d)
              for (int s : {-1, 1})
                {
                  unsigned           y[3] = {x[0], x[1], x[2]};
                  std::array<int, 3> p    = cell[v];
                  if (s < 0 && y[d] == 0)
                    {
                      y[d] = n[d] - 1;
                      --p[d];
                    }
                  else if (s > 0 && y[d] + 1 == n[d])
                    {
                      y[d] = 0;
                      ++p[d];
                    }
                  else
                    y[d] += s;
                  const std::size_t w = m.index(y[0], y[1], y[2]);
                  if (periodic.labels[w] < 0)
                    continue;
                  EXPECT_EQ(periodic.labels[w], c);
                  if (!seen[w])
                    {
                      seen[w] = true;
                      cell[w] = p;
                      queue.push_back(w);
                    }
                  else
                    for (unsigned e = 0; e < 3; ++e)
                      wraps[c][e] = wraps[c][e] || cell[w][e] != p[e];
                }
          }
      }
    return wraps;
  }
} // namespace

TEST(Percolation, LaminateAlongTheLayersNotAcross)
{
  const Microstructure m = laminate(3, {{12, 12, 12}}, 0, {0.5, 0.25, 0.25});
  for (PhaseId p : {0, 1, 2})
    {
      const Percolation perc = percolation(m, {p});
      EXPECT_FALSE(perc.spans[0]) << int(p);
      EXPECT_TRUE(perc.spans[1]);
      EXPECT_TRUE(perc.spans[2]);
      EXPECT_FALSE(perc.wraps[0]);
      EXPECT_TRUE(perc.wraps[1]);
      EXPECT_TRUE(perc.wraps[2]);
      EXPECT_EQ(perc.n_periodic_components, 1u);
      EXPECT_FALSE(percolates(m, {p}, 0));
      EXPECT_TRUE(percolates(m, {p}, 1));
    }
  // Phases 1 and 2 together are one layer, phases 0 and 2 touch across the
  // periodic face only.
  EXPECT_EQ(label_components(m, {1, 2}, Wrapping::none).n_components(), 1u);
  EXPECT_EQ(label_components(m, {0, 2}, Wrapping::none).n_components(), 2u);
  EXPECT_EQ(label_components(m, {0, 2}, Wrapping::periodic).n_components(), 1u);
  // The whole cell percolates everywhere.
  EXPECT_TRUE(percolation(m, {0, 1, 2}).wraps[0]);
  EXPECT_TRUE(percolation(m, {0, 1, 2}).spans[0]);
}

TEST(Percolation, SphereInclusionMatrixPercolatesInclusionNot)
{
  for (unsigned dim : {2u, 3u})
    {
      const Microstructure m      = centred_sphere(dim, {{20, 20, 20}}, 0.3);
      const Percolation    matrix = percolation(m, {0});
      const Percolation    sphere = percolation(m, {1});
      for (unsigned d = 0; d < dim; ++d)
        {
          EXPECT_TRUE(matrix.spans[d]);
          EXPECT_TRUE(matrix.wraps[d]);
          EXPECT_FALSE(sphere.spans[d]);
          EXPECT_FALSE(sphere.wraps[d]);
        }
      EXPECT_EQ(sphere.n_periodic_components, 1u);
      const Components c = label_components(m, {1}, Wrapping::periodic);
      ASSERT_EQ(c.n_components(), 1u);
      EXPECT_EQ(c.sizes[0],
                std::size_t(std::count(m.data().begin(), m.data().end(), 1)));
    }
}

TEST(Percolation, CheckerboardDoesNotPercolateWithFaceConnectivity)
{
  Microstructure m(2, {{8, 8, 1}});
  for (unsigned j = 0; j < 8; ++j)
    for (unsigned i = 0; i < 8; ++i)
      m.set_phase(i, j, 0, (i + j) % 2);
  for (PhaseId p : {0, 1})
    {
      const Percolation perc = percolation(m, {p});
      EXPECT_FALSE(perc.spans[0]);
      EXPECT_FALSE(perc.spans[1]);
      EXPECT_FALSE(perc.wraps[0]);
      EXPECT_FALSE(perc.wraps[1]);
      // Every square is alone, also across the faces (8 is even).
      EXPECT_EQ(perc.n_periodic_components, 32u);
      EXPECT_EQ(label_components(m, {p}, Wrapping::none).n_components(), 32u);
    }
  // 3D checkerboard likewise.
  Microstructure c(3, {{4, 4, 4}});
  for (unsigned k = 0; k < 4; ++k)
    for (unsigned j = 0; j < 4; ++j)
      for (unsigned i = 0; i < 4; ++i)
        c.set_phase(i, j, k, (i + j + k) % 2);
  EXPECT_EQ(percolation(c, {0}).spans,
            (std::array<bool, 3>{{false, false, false}}));
  EXPECT_EQ(label_components(c, {1}, Wrapping::periodic).n_components(), 32u);
}

TEST(PeriodicLabels, CornerBlobIsOneClusterThatDoesNotWrap)
{
  const Microstructure m
    = picture({"#....#", "......", "......", "......", "......", "#....#"});
  const Components box   = label_components(m, {1}, Wrapping::none);
  const Components torus = label_components(m, {1}, Wrapping::periodic);
  EXPECT_EQ(box.n_components(), 4u);
  ASSERT_EQ(torus.n_components(), 1u);
  EXPECT_EQ(torus.sizes[0], 4u);
  EXPECT_EQ(torus.wraps[0], (std::array<bool, 3>{{false, false, false}}));
  EXPECT_EQ(torus.labels[m.index(5, 5)], 0);
  EXPECT_EQ(torus.labels[m.index(1, 1)], -1);
}

TEST(PeriodicLabels, StraightAndBrokenStripes)
{
  const Microstructure m
    = picture({"......", "######", "......", "##.###", "......"});
  const Components box   = label_components(m, {1}, Wrapping::none);
  const Components torus = label_components(m, {1}, Wrapping::periodic);
  // Box: the full row, then the two pieces of the broken one.
  ASSERT_EQ(box.n_components(), 3u);
  EXPECT_TRUE(box.spans[0][0]);
  EXPECT_FALSE(box.spans[1][0]);
  EXPECT_FALSE(box.spans[2][0]);
  EXPECT_FALSE(box.wraps[0][0]); // never set without wrapping
  // Torus: the broken row is one cluster, joined across x = 0, and still
  // does not wrap; the full row wraps.
  ASSERT_EQ(torus.n_components(), 2u);
  EXPECT_EQ(torus.sizes[0], 6u);
  EXPECT_EQ(torus.sizes[1], 5u);
  EXPECT_TRUE(torus.wraps[0][0]);
  EXPECT_FALSE(torus.wraps[0][1]);
  EXPECT_FALSE(torus.wraps[1][0]);
  EXPECT_EQ(torus.labels[m.index(0, 3)], torus.labels[m.index(5, 3)]);
}

TEST(PeriodicLabels, SpansWithoutWrappingAndWrapsWithoutSpanning)
{
  // A Z touches both x faces, but its ends do not meet across them.
  const Microstructure z = picture(
    {"........", "####....", "...#....", "...#....", "...#####", "........"});
  const Percolation pz = percolation(z, {1});
  EXPECT_TRUE(pz.spans[0]);
  EXPECT_FALSE(pz.wraps[0]);

  // Two pieces, neither touching both faces of any direction, joined across
  // y (column 2) and across x (row 2): one cluster with winding (1,1),
  // infinite in the periodic medium, carrying flux in x and in y.
  const Microstructure w   = picture({"..####..",
                                      ".....#..",
                                      "###..###",
                                      "..#.....",
                                      "..#.....",
                                      "..#.....",
                                      "..#.....",
                                      "..#....."});
  const Components     box = label_components(w, {1}, Wrapping::none);
  ASSERT_EQ(box.n_components(), 2u);
  for (const auto &s : box.spans)
    EXPECT_EQ(s, (std::array<bool, 3>{{false, false, false}}));
  const Components torus = label_components(w, {1}, Wrapping::periodic);
  ASSERT_EQ(torus.n_components(), 1u);
  EXPECT_EQ(torus.wraps[0], (std::array<bool, 3>{{true, true, false}}));
  const Percolation pw = percolation(w, {1});
  EXPECT_FALSE(pw.spans[0]);
  EXPECT_TRUE(pw.wraps[0]);
}

TEST(PeriodicLabels, ThinDirectionsWrapTrivially)
{
  // One voxel in z: every voxel touches its own image; two voxels in x: the
  // pair is a rod through the periodic medium.
  Microstructure m(3, {{2, 3, 1}});
  m.set_phase(0, 0, 0, 1);
  m.set_phase(1, 0, 0, 1);
  const Components torus = label_components(m, {1}, Wrapping::periodic);
  ASSERT_EQ(torus.n_components(), 1u);
  EXPECT_EQ(torus.wraps[0], (std::array<bool, 3>{{true, false, true}}));
  EXPECT_EQ(percolation(m, {1}).spans,
            (std::array<bool, 3>{{true, false, true}}));
}

TEST(Labels, RandomFieldsMatchNaivePropagation)
{
  for (unsigned seed = 1; seed <= 3; ++seed)
    for (unsigned dim : {2u, 3u})
      {
        const Microstructure m = dim == 3
                                   ? random_field(3, {{9, 7, 6}}, seed)
                                   : random_field(2, {{23, 19, 1}}, seed);
        for (const std::vector<PhaseId> &set :
             {std::vector<PhaseId>{0}, std::vector<PhaseId>{0, 2}})
          for (const Wrapping w : {Wrapping::none, Wrapping::periodic})
            {
              const Components c = label_components(m, set, w);
              expect_same_partition(
                c.labels, naive_labels(m, set, w == Wrapping::periodic));
              std::vector<std::size_t> sizes(c.n_components(), 0);
              for (const auto l : c.labels)
                if (l >= 0)
                  ++sizes[l];
              EXPECT_EQ(sizes, c.sizes);
              // Numbered in storage order of the first voxel.
              std::int32_t next = 0;
              for (const auto l : c.labels)
                if (l >= next)
                  {
                    ASSERT_EQ(l, next);
                    ++next;
                  }
            }
      }
}

TEST(PeriodicLabels, RandomFieldsWrapAsInTheUnfoldedMedium)
{
  // Fields near the site percolation threshold (0.59 in 2D, 0.31 in 3D)
  // have many box components joined across the faces in long chains, and a
  // mix of wrapping and non-wrapping clusters.
  std::size_t n_wrapping = 0, n_closed = 0;
  for (unsigned seed = 1; seed <= 20; ++seed)
    for (unsigned dim : {2u, 3u})
      {
        Microstructure  m(dim,
                         dim == 3 ? std::array<unsigned, 3>{{12, 10, 9}}
                                   : std::array<unsigned, 3>{{31, 27, 1}});
        std::mt19937_64 engine(seed);
        const unsigned  per_mille = dim == 3 ? 330 : 600;
        for (PhaseId &p : m.data())
          p = (engine() % 1000) < per_mille ? 1 : 0;
        const Components c = label_components(m, {1}, Wrapping::periodic);
        const auto       expected = unfolded_wraps(m, c);
        ASSERT_EQ(c.wraps.size(), expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k)
          {
            ASSERT_EQ(c.wraps[k], expected[k])
              << dim << "D, seed " << seed << ", cluster " << k;
            (expected[k][0] || expected[k][1] || expected[k][2] ? n_wrapping
                                                                : n_closed)
              += 1;
          }
      }
  // Both kinds occur, or the comparison would prove little.
  EXPECT_GT(n_wrapping, 10u);
  EXPECT_GT(n_closed, 100u);
}

TEST(Labels, Linear128Cubed)
{
  // A guard against an accidental O(N^2): 2 million voxels near the site
  // percolation threshold, both labellings, within a generous 5 s.
  Microstructure  m(3, {{128, 128, 128}});
  std::mt19937_64 engine(9);
  for (PhaseId &p : m.data())
    p = (engine() % 1000) < 312 ? 1 : 0;
  const auto       start = std::chrono::steady_clock::now();
  const Components box   = label_components(m, {1}, Wrapping::none);
  const Components torus = label_components(m, {1}, Wrapping::periodic);
  const double     seconds
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
        .count();
  EXPECT_LT(seconds, 5.);
  EXPECT_LT(torus.n_components(), box.n_components());
  std::size_t total = 0;
  for (const auto s : torus.sizes)
    total += s;
  EXPECT_EQ(total,
            std::size_t(std::count(m.data().begin(), m.data().end(), 1)));
}
